-- wrk script for bench/intake.py: POST /api/v1/reports with a few realistic texts in turn.
local texts = {
  "Lampu PJU di Jl. Soekarno Hatta depan Polinema mati sejak tiga hari",
  "Sampah di TPS Tlogomas belum diangkut seminggu, baunya sampai ke rumah warga",
  "min tlg jalan di Sawojajar berlubang besar, sdh ada yg jatuh dr motor",
  "The traffic light at the Jl. Veteran - Jl. MT Haryono junction has been stuck on red",
}
local bodies = {}
for i, text in ipairs(texts) do
  bodies[i] = '{"text": "' .. text .. '"}'
end
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  n = n + 1
  return wrk.format(nil, "/api/v1/reports", nil, bodies[(n % #bodies) + 1])
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors=%d non2xx=%d p50_us=%d p99_us=%d duration_us=%d\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, summary.errors.status, latency:percentile(50),
    latency:percentile(99), summary.duration))
end

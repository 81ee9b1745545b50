# One image for every role: the command picks it (serve, scheduler, bot, migrate).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# pg_dump and pg_restore for `ingatkan backup` / `restore`
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Dependencies first, from the lock, so a code change does not reinstall them.
COPY requirements.lock ./
RUN pip install -r requirements.lock
COPY pyproject.toml README.md ./
COPY api ./api
COPY bot ./bot
COPY classifier ./classifier
COPY cli ./cli
COPY config ./config
COPY core ./core
COPY db ./db
COPY i18n ./i18n
COPY scheduler ./scheduler
RUN pip install --no-deps . && useradd --system --home /app ingatkan && chown -R ingatkan /app
USER ingatkan

EXPOSE 8000
ENTRYPOINT ["ingatkan"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]

"""Where a report is: Kota Malang's boundary and its five kecamatan (boundaries.geojson, see
SOURCE.md), which side of it a point lies, and the kecamatan an address names."""

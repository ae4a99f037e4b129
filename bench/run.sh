#!/usr/bin/env bash
# Reciprocity benchmark: builds the server jar if needed, seeds a database through the API and drives the server with wrk.
#   bench/run.sh                  100 users x 1,000 contacts x 10 interactions (1M interactions)
#   bench/run.sh --per-contact 100   the 10M variant
# Needs wrk and curl (Debian: apt-get install wrk curl). Results go to bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
command -v curl >/dev/null || { echo "bench: curl is not installed (apt-get install curl)" >&2; exit 2; }
[ -f server/target/reciprocity-server.jar ] || mvn -q -pl server -am -DskipTests package
exec java -Xmx1g -cp server/target/reciprocity-server.jar bench/Bench.java "$@"

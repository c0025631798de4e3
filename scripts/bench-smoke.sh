#!/bin/sh
# Every bench in the README, run at a small size so CI notices one that no longer runs (a
# renamed button, a changed message). The figures at this size mean nothing; the benches as
# the README gives them measure.
set -eu
cd "$(dirname "$0")/.."
npm run --silent bench:x-client -- --followers 2000 --rounds 1
npm run --silent bench:interactions -- --count 20 --concurrency 4 --runs 2
npm run --silent bench:web-connections -- --idle 20 --flood 50
npm run --silent bench:alerts -- --accounts 4 --follows 60 --unfollows 10 --sample 20 --window 10
npm run --silent bench:scale -- --count 40 --accounts 10 --poll-seconds 5
npm run --silent bench:memory -- --accounts 20 --sessions 80 --modes built
npm run --silent bench:charts -- --days 30 --rounds 1
npm run --silent bench:store-writes -- --records 200 --together 4
npm run --silent bench:insights -- --sizes 2500/500 --limits 300

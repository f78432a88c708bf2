#!/usr/bin/env bash
# Runs the public HTTP caching test suite (the npm package http-cache-tests) against
# `httpcache proxy`, once with a private cache and once with a shared one, and prints a summary.
#
#   scripts/cache-tests.sh            # from anywhere; works from the repository root
#   SUITE_VERSION=0.4.5 scripts/cache-tests.sh
#   MODES=shared scripts/cache-tests.sh
#   CLIENTS=okhttp scripts/cache-tests.sh        # through OkHttp's CacheInterceptor
#   CLIENTS="jdk okhttp" scripts/cache-tests.sh  # through both adapters, one after the other
#
# CLIENTS names the caching client the proxy forwards through (`httpcache proxy --client`): jdk
# (CachedHttpClient, the default) or okhttp. Files of the okhttp runs carry "-okhttp" in their names.
#
# Needs Java 17+, Maven, node and npm; reaches only the npm registry (to install the suite), Maven's
# repositories (to build) and 127.0.0.1. Raw results, logs and summaries go to target/cache-tests/.
# Exit status: 0 when every mode ran (whatever the tests said), 1 when something could not be run.
# See docs/conformance.md.
set -euo pipefail

SUITE_VERSION="${SUITE_VERSION:-0.4.5}"
MODES="${MODES:-private shared}"
CLIENTS="${CLIENTS:-jdk}"

cd "$(dirname "$0")/.."
root="$(pwd)"
out="$root/target/cache-tests"
jar="$root/httpcache-cli/target/httpcache.jar"

for tool in java mvn node npm; do
  command -v "$tool" > /dev/null || { echo "cache-tests: needs $tool on the PATH" >&2; exit 1; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/httpcache-cache-tests.XXXXXX")"
pids=()

# Stops what this script started, by PID, and removes the temporary directory.
cleanup() {
  local pid
  for pid in "${pids[@]+"${pids[@]}"}"; do
    if kill -0 "$pid" 2> /dev/null; then
      kill "$pid" 2> /dev/null || true
      wait "$pid" 2> /dev/null || true
    fi
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Waits up to 60 s for a line matching $2 (an extended regex with one group) in file $1, while
# process $3 lives; prints the group.
await_line() {
  local file="$1" pattern="$2" pid="$3" i line
  for ((i = 0; i < 600; i++)); do
    line="$(grep -Eo -m1 "$pattern" "$file" 2> /dev/null || true)"
    if [[ -n "$line" ]]; then
      sed -E "s#^.*$pattern.*\$#\\1#" <<< "$line"
      return 0
    fi
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.1
  done
  echo "cache-tests: no line matching '$pattern' in $file:" >&2
  cat "$file" >&2
  return 1
}

mkdir -p "$out"
echo "== node $(node --version), npm $(npm --version), $(java -version 2>&1 | head -1)"

echo "== building the httpcache jar"
mvn -B -q package -DskipTests -pl httpcache-cli -am
[[ -f "$jar" ]] || { echo "cache-tests: $jar was not built" >&2; exit 1; }

echo "== installing http-cache-tests@$SUITE_VERSION from the npm registry into $work"
npm install --prefix "$work" --no-save --no-audit --no-fund --loglevel=error \
  "http-cache-tests@$SUITE_VERSION" > "$out/npm-install.log" 2>&1 \
  || { cat "$out/npm-install.log" >&2; exit 1; }
suite="$work/node_modules/http-cache-tests"
installed="$(node -p "require('$suite/package.json').version")"
echo "   installed http-cache-tests $installed"

# The suite's server listens on every interface; this preload makes it listen on 127.0.0.1 only.
cat > "$work/loopback.cjs" << 'EOF'
const net = require('net')
const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (port, ...rest) {
  if ((typeof port === 'number' || typeof port === 'string') && rest.length === 0) {
    return listen.call(this, Number(port), '127.0.0.1')
  }
  return listen.call(this, port, ...rest)
}
EOF

echo "== starting the suite's test server"
# Port 0: the server takes a free port and says which; it is started as the package's
# "server" script would start it, with the npm_config_* variables that script reads.
(
  cd "$suite"
  exec env npm_config_protocol=http npm_config_port=0 npm_config_pidfile="$work/server.pid" \
    node -r "$work/loopback.cjs" server/server.mjs
) > "$out/server.log" 2>&1 &
pids+=("$!")
server_pid="$!"
server_port="$(await_line "$out/server.log" 'Listening on http://127\.0\.0\.1:([0-9]+)/' "$server_pid")"
origin="http://127.0.0.1:$server_port"
echo "   test server at $origin (pid $server_pid)"

# The runs: one per client and mode, named "<mode>" for jdk and "<mode>-<client>" for the others.
runs=()
for client in $CLIENTS; do
  case "$client" in
    jdk | okhttp) ;;
    *) echo "cache-tests: unknown client '$client' (jdk or okhttp)" >&2; exit 1 ;;
  esac
  for mode in $MODES; do
    case "$mode" in
      private | shared) ;;
      *) echo "cache-tests: unknown mode '$mode' (private or shared)" >&2; exit 1 ;;
    esac
    if [[ "$client" == jdk ]]; then runs+=("$mode"); else runs+=("$mode-$client"); fi
  done
done

for run in "${runs[@]}"; do
  mode="${run%%-*}"
  client="jdk"
  [[ "$run" == *-* ]] && client="${run#*-}"
  flags=(--client "$client")
  [[ "$mode" == shared ]] && flags+=(--shared)
  echo "== $run: starting httpcache proxy ${flags[*]} --origin $origin --listen 0"
  java -jar "$jar" proxy --origin "$origin" --listen 0 "${flags[@]}" \
    > "$out/proxy-$run.log" 2>&1 &
  pids+=("$!")
  proxy_pid="$!"
  proxy_url="$(await_line "$out/proxy-$run.log" 'listening on (http://127\.0\.0\.1:[0-9]+)' "$proxy_pid")"
  echo "   proxy at $proxy_url (pid $proxy_pid); running the suite's client against it"
  # The package's "cli" script, with the variables `npm run cli --base=URL` would set.
  start=$SECONDS
  (
    cd "$suite"
    exec env npm_config_base="$proxy_url" npm_config_id= npm_package_config_id= \
      node --no-warnings cli.mjs
  ) > "$out/results-$run.json" 2> "$out/client-$run.log" \
    || { echo "cache-tests: the suite's client failed:" >&2; cat "$out/client-$run.log" >&2; exit 1; }
  echo "   done in $((SECONDS - start)) s; raw results: target/cache-tests/results-$run.json"
  kill "$proxy_pid" 2> /dev/null || true
  wait "$proxy_pid" 2> /dev/null || true
done

cat > "$work/summary.mjs" << 'EOF'
// Classifies each test's result as the suite's own pages do (lib/display.mjs, determineTestResult),
// counts them by kind, and lists the failures. Tests the suite marks browser_skip (shared caches
// and CDNs only) do not apply to a private cache; browser_only ones are never run by its CLI.
import fs from 'fs'
import { pathToFileURL } from 'url'

const [suiteDir, run, resultsFile, proxyLog, origin] = process.argv.slice(2)
const mode = run.split('-')[0] // private or shared; a run through OkHttp is "<mode>-okhttp"
const load = f => import(pathToFileURL(`${suiteDir}/${f}`).href).then(m => m.default)
const suites = await load('tests/index.mjs')
suites.push(await load('tests/surrogate-control.mjs')) // cli.mjs runs these too
let results
try {
  results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'))
} catch (e) {
  console.log(`${mode}: cannot read ${resultsFile}: ${e.message}`)
  process.exit(1)
}

// Failures that come from the harness, not from the cache; see docs/conformance.md.
const artifacts = {
  'other-date-update': 'proxy artifact: the JDK HttpServer under the proxy always writes its own ' +
    'Date; the cache itself serves the stored Date'
}

const tests = new Map()
for (const suite of suites) {
  for (const test of suite.tests) tests.set(test.id, { ...test, suite: suite.name })
}
const kindOf = t => t.kind || 'required'
const applies = t => !t.browser_only && !(mode === 'private' && t.browser_skip)
const memo = new Map()
function outcome (id) { // the suite's own verdict, whether or not the test applies
  if (memo.has(id)) return memo.get(id)
  const test = tests.get(id)
  const result = results[id]
  let v
  if (result === undefined) {
    v = 'untested'
  } else if ((test.depends_on || []).some(d => outcome(d) !== 'pass')) {
    v = 'dependency'
  } else if (result !== true && result[0] === 'Setup') {
    v = result[1] === 'retry' ? 'retry' : 'setup'
  } else {
    v = result === true ? 'pass' : 'fail'
  }
  memo.set(id, v)
  return v
}
const verdict = id => applies(tests.get(id)) ? outcome(id) : 'na'

const columns = ['pass', 'fail', 'setup', 'dependency', 'retry', 'na', 'untested']
const heading = {
  pass: 'passed',
  fail: 'failed',
  setup: 'setup failure',
  dependency: 'dependency failed',
  retry: 'retried',
  na: 'not applicable',
  untested: 'no result'
}
const counts = {}
for (const [id, test] of tests) {
  const kind = kindOf(test)
  counts[kind] ??= Object.fromEntries(columns.map(c => [c, 0]))
  counts[kind][verdict(id)]++
}
const lines = []
lines.push(`${run} cache: ${Object.keys(results).length} results for ${tests.size} tests`)
lines.push('')
lines.push(`| kind | total | ${columns.map(c => heading[c]).join(' | ')} |`)
lines.push(`|---|---:|${columns.map(() => '---:').join('|')}|`)
for (const kind of ['required', 'optimal', 'check']) {
  const c = counts[kind]
  if (!c) continue
  const total = columns.reduce((s, k) => s + c[k], 0)
  lines.push(`| ${kind} | ${total} | ${columns.map(k => c[k]).join(' | ')} |`)
}
lines.push('')
lines.push('check tests: "passed" is the suite\'s "yes", "failed" its "no". Not applicable: ' +
  (mode === 'private' ? 'browser_skip tests (shared caches and CDNs only) and ' : '') +
  'browser_only tests, which the suite\'s CLI does not run.')
const describe = t => {
  const r = results[t.id]
  return `- ${t.id} [${t.suite}]: ${t.name.replace(/\s+/g, ' ')}` +
    (verdict(t.id) === 'na' ? ` (${kindOf(t)})` : '') +
    (r === true || r === undefined ? '' : `\n    -> ${r[0]}: ${r[1]}`) +
    (t.id in artifacts ? `\n    !! ${artifacts[t.id]}` : '')
}
const all = [...tests.values()]
const sections = [
  ['Failing required tests',
    t => kindOf(t) === 'required' && verdict(t.id) === 'fail'],
  ['Required tests with a setup failure or a retry',
    t => kindOf(t) === 'required' && ['setup', 'retry'].includes(verdict(t.id))],
  ['Failing optimal tests',
    t => kindOf(t) === 'optimal' && verdict(t.id) === 'fail'],
  ['Checks answered "no"',
    t => kindOf(t) === 'check' && verdict(t.id) === 'fail']
]
if (mode === 'private') {
  sections.push(['Not applicable to a private cache but failed, for information',
    t => verdict(t.id) === 'na' && !t.browser_only &&
      ['fail', 'setup', 'retry'].includes(outcome(t.id))])
}
for (const [title, keep] of sections) {
  const list = all.filter(keep)
  lines.push('')
  lines.push(`${title} (${list.length}):`)
  list.forEach(t => lines.push(describe(t)))
}
const depFailed = all.filter(t => verdict(t.id) === 'dependency')
lines.push('')
lines.push(`Tests not judged because a test they depend on did not pass (${depFailed.length}):`)
depFailed.forEach(t => lines.push(`- ${t.id} (${kindOf(t)}; depends on ${t.depends_on.join(', ')})`))

// The proxy removes hop-by-hop fields and writes Content-Length itself, as HTTP requires. When a
// response served from storage needed that, the cache had stored something it should not have,
// and a test looking at it passed only thanks to the proxy. The proxy logs each such response
// ("masked: ..."); the test server's state names the test that sent the request.
const masked = fs.existsSync(proxyLog)
  ? fs.readFileSync(proxyLog, 'utf8').split('\n').filter(l => l.includes('proxy: masked: '))
  : []
lines.push('')
lines.push(`Stored responses whose faults the proxy had to correct (${masked.length}):`)
for (const line of masked) {
  const uuid = (line.match(/\/test\/([0-9a-f-]{36})/) || [])[1]
  const what = (line.match(/ from storage with (.*)$/) || [])[1] || line
  let testId = '?'
  if (uuid) {
    try {
      const state = await (await fetch(`${origin}/state/${uuid}`)).json()
      testId = state[0].request_headers['test-id'] || '?'
    } catch (e) {
      testId = `? (${e.message})`
    }
  }
  lines.push(`- ${testId}: served from storage with ${what}` +
    (tests.has(testId) ? ` (suite verdict: ${outcome(testId)})` : ''))
}
console.log(lines.join('\n'))
EOF

status=0
for run in "${runs[@]}"; do
  echo
  echo "================================================================ $run"
  node "$work/summary.mjs" "$suite" "$run" "$out/results-$run.json" "$out/proxy-$run.log" "$origin" \
    | tee "$out/summary-$run.txt" || status=1
done
exit "$status"

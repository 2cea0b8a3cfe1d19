#!/usr/bin/env bash
# The integrator's path, end to end: install the SDK from the main build,
# build sdk/examples/hello against the *installed* package only, load it in a
# real tilld and talk to it over HTTP.
#
#   out_of_tree_test.sh BUILD_DIR SOURCE_DIR CMAKE_COMMAND CXX_COMPILER [EXTRA_FLAGS]
#
# EXTRA_FLAGS (compile and link) is for sanitized builds of the main tree.
#
# Set TILL_KEEP_TEST_DIRS=1 to keep the temp folder for a post-mortem.
set -euo pipefail

build_dir=${1:?usage: out_of_tree_test.sh BUILD_DIR SOURCE_DIR CMAKE CXX}
source_dir=${2:?}
cmake_cmd=${3:-cmake}
cxx=${4:-c++}
extra_flags=${5:-}

tilld="$build_dir/bin/tilld"
tillctl="$build_dir/bin/tillctl"
greeting="Hi from the out-of-tree test"

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

[[ -x $tilld ]] || fail "$tilld not built (build the 'all' target first)"

work=$(mktemp -d "${TMPDIR:-/tmp}/till-sdk-test.XXXXXX")
tilld_pid=""
cleanup() {
    local rc=$?
    if [[ -n $tilld_pid ]] && kill -0 "$tilld_pid" 2>/dev/null; then
        kill -KILL "$tilld_pid" 2>/dev/null || true
        wait "$tilld_pid" 2>/dev/null || true
    fi
    if [[ $rc -ne 0 && -f $work/tilld.log ]]; then
        echo "--- tilld log ---" >&2
        tail -n 50 "$work/tilld.log" >&2 || true
    fi
    if [[ ${TILL_KEEP_TEST_DIRS:-0} == 1 ]]; then
        echo "kept $work" >&2
    else
        rm -rf "$work"
    fi
    exit $rc
}
trap cleanup EXIT

# 1. Install the main build (kernel binaries, SDK headers, library, CMake package).
step "install $build_dir into $work/prefix"
"$cmake_cmd" --install "$build_dir" --prefix "$work/prefix" > "$work/install.log" 2>&1 ||
    { cat "$work/install.log" >&2; fail "cmake --install failed"; }
[[ -f $work/prefix/include/till/sdk/plugin.hpp ]] || fail "SDK headers not installed"
config_file=$(find "$work/prefix" -name TillSDKConfig.cmake -print -quit)
[[ -n $config_file ]] || fail "TillSDKConfig.cmake not installed"

# 2. Copy the example out of the source tree, as an integrator would, and
#    build it with nothing but the installed package.
step "build the hello example against the installed SDK"
cp -r "$source_dir/sdk/examples/hello" "$work/hello-src"
"$cmake_cmd" -S "$work/hello-src" -B "$work/hello-build" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_CXX_FLAGS="$extra_flags" \
    -DCMAKE_MODULE_LINKER_FLAGS="$extra_flags" \
    -DCMAKE_PREFIX_PATH="$work/prefix" \
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
    > "$work/configure.log" 2>&1 ||
    { cat "$work/configure.log" >&2; fail "configuring the example failed"; }
sdk_dir=$(sed -n 's/^TillSDK_DIR:PATH=//p' "$work/hello-build/CMakeCache.txt")
[[ $sdk_dir == "$work/prefix/"* ]] || fail "TillSDK found at '$sdk_dir', not in the installed prefix"
"$cmake_cmd" --build "$work/hello-build" > "$work/build.log" 2>&1 ||
    { cat "$work/build.log" >&2; fail "building the example failed"; }
plugin_dir="$work/hello-build/plugins"
[[ -f $plugin_dir/hello/plugin.yaml ]] || fail "no $plugin_dir/hello/plugin.yaml"
[[ -f $plugin_dir/hello/till-hello.so ]] || fail "no $plugin_dir/hello/till-hello.so"

# 3. A node that requires the plugin.
step "start tilld with the example plugin"
mkdir -p "$work/node"
cat > "$work/node/store.yaml" <<YAML
node:
  id: sdk-test
  role: store
  data_dir: data
  listen: 127.0.0.1:0
logging:
  level: info
plugins:
  dirs: [$plugin_dir]
  required: [hello]
hello:
  greeting: $greeting
YAML
port_file="$work/node/port"
"$tilld" --config "$work/node/store.yaml" --port-file "$port_file" > "$work/tilld.log" 2>&1 &
tilld_pid=$!

for _ in $(seq 1 100); do
    [[ -s $port_file ]] && break
    kill -0 "$tilld_pid" 2>/dev/null || fail "tilld exited before serving"
    sleep 0.1
done
[[ -s $port_file ]] || fail "tilld wrote no port file within 10 s"
port=$(tr -d '[:space:]' < "$port_file")
base="http://127.0.0.1:$port"

# 4. The node lists hello as running (plugin entries hold no nested maps, so
#    cutting the JSON at '}' leaves one plugin per line).
step "check $base/api/v1/node"
node_json=$(curl -sf --max-time 10 "$base/api/v1/node") || fail "GET /api/v1/node failed"
hello_entry=$(printf '%s' "$node_json" | tr '}' '\n' | grep '"id":"hello"' || true)
[[ -n $hello_entry ]] || fail "hello not listed: $node_json"
[[ $hello_entry == *'"state":"running"'* ]] || fail "hello not running: $hello_entry"
[[ $hello_entry == *'"version":"0.1.0"'* ]] || fail "hello version wrong: $hello_entry"

if [[ -x $tillctl ]]; then
    "$tillctl" --url "$base" plugins | grep -E '^hello +0\.1\.0 +report +running' ||
        fail "tillctl plugins does not show hello running"
fi

step "check $base/api/v1/hello"
hello_json=$(curl -sf --max-time 10 "$base/api/v1/hello") || fail "GET /api/v1/hello failed"
[[ $hello_json == "{\"greeting\":\"$greeting\"}" ]] || fail "unexpected answer: $hello_json"

# 5. SIGTERM stops the node cleanly with exit code 0.
step "stop tilld with SIGTERM"
kill -TERM "$tilld_pid"
for _ in $(seq 1 100); do
    kill -0 "$tilld_pid" 2>/dev/null || break
    sleep 0.1
done
kill -0 "$tilld_pid" 2>/dev/null && fail "tilld still running 10 s after SIGTERM"
set +e
wait "$tilld_pid"
rc=$?
set -e
tilld_pid=""
[[ $rc -eq 0 ]] || fail "tilld exited with $rc after SIGTERM"
grep -q 'hello started on node sdk-test' "$work/tilld.log" || fail "the plugin's start log line is missing"

echo "PASS: the hello example built out of tree against the installed SDK runs in tilld"

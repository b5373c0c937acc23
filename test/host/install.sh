#!/usr/bin/env bash
# Installs the real VS Code host used by nb2prod's host tests (code-server + playwright-core)
# into test/host/node_modules, offline except for the npm registry. Idempotent: when the
# installed tree matches package-lock.json it does nothing.
#
# code-server is kept out of the extension's own package.json on purpose: it is ~300 MB with
# native builds, and only the host test stage needs it (see shared HOST-TESTING.md).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

stamp="node_modules/.nb2prod-install-stamp"
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x node_modules/.bin/code-server ]]; then
  echo "test/host: code-server already installed (lock unchanged); nothing to do"
  exit 0
fi

# Prerequisites from Debian: kerberos headers for code-server's kerberos addon, and ripgrep,
# which stands in for @vscode/ripgrep's download from GitHub (unreachable here).
missing=()
command -v rg >/dev/null || missing+=(ripgrep)
[[ -f /usr/include/gssapi/gssapi.h || -f /usr/include/krb5.h ]] || missing+=(libkrb5-dev)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
if ((${#missing[@]})); then
  echo "test/host: missing Debian packages: ${missing[*]}" >&2
  echo "  install them first: apt-get install -y ${missing[*]}" >&2
  exit 1
fi

# @vscode/ripgrep@1.15.11 looks for this exact tarball in its cache before downloading, and
# only needs an `rg` at the tarball's top level.
rg_cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
rg_tar="$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [[ ! -s "$rg_tar" ]]; then
  mkdir -p "$rg_cache"
  staging="$(mktemp -d)"
  cp "$(command -v rg)" "$staging/rg"
  tar -czf "$rg_tar" -C "$staging" rg
  rm -rf "$staging"
fi

# As root, code-server's postinstall refuses to run without unsafe-perm; node-pty's postinstall
# runs `npx node-gyp`, which must not stop to ask (a user ~/.npmrc may say yes=false).
export npm_config_unsafe_perm=true
export npm_config_yes=true
start=$SECONDS
npm ci --no-audit --no-fund
echo "$want" >"$stamp"
echo "test/host: code-server installed in $((SECONDS - start)) s"

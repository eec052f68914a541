#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine, idempotently:
# Debian packages, npm packages, and the cached kube-apiserver for tests.
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(
  qemu-system-x86 busybox-static cpio kmod   # real-kernel harness (VRF/SRv6 under qemu)
  iproute2 iptables containernetworking-plugins  # data path: ip, FORWARD rules, host-device + static IPAM
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

# better-sqlite3 compiles against the local Node headers (no header download).
export npm_config_nodedir="${npm_config_nodedir:-$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")}"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
fi

if [ -f hack/envtest/build.sh ]; then bash hack/envtest/build.sh; fi

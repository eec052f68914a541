#!/usr/bin/env bash
# Builds the test cluster's Kubernetes binaries from the release pinned in
# go.mod: kube-apiserver, kube-controller-manager, kube-scheduler, kubelet (and
# kubectl where the machine has none); etcd comes from Debian's etcd-server.
# Idempotent: an existing binary in the cache is kept. The cache is outside the
# repo: ${GALACTIC_CACHE:-$HOME/.cache/galactic}/envtest/<version>/.
# Arguments name a subset to build (default: all), e.g. `build.sh kube-apiserver`.
set -euo pipefail

K8S_VERSION=v1.37.2                                    # keep in step with go.mod and binaries.ts
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache="${GALACTIC_CACHE:-$HOME/.cache/galactic}/envtest/$K8S_VERSION"
start=$SECONDS

# etcd: the Debian package (etcd 3.4) is enough for a test apiserver.
if [[ ! -x /usr/bin/etcd ]]; then
  echo "envtest: installing etcd-server (apt-get)"
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq etcd-server
  # The package starts a system etcd on :2379; the harness does not need it.
  $sudo systemctl disable --now etcd >/dev/null 2>&1 || true
fi

mkdir -p "$cache"
exec 9>"$cache/.build.lock"
flock 9     # one build at a time; a second caller waits, then finds the binary

minor=$(cut -d. -f2 <<<"$K8S_VERSION")
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done

build() {   # build <name>: k8s.io/kubernetes/cmd/<name> into the cache, unless there
  local name=$1 tmp="$cache/$1.tmp.$$"
  if [[ -x "$cache/$name" ]]; then echo "envtest: $cache/$name present"; return; fi
  command -v go >/dev/null || { echo "envtest: Go >= 1.26 is needed to build $name" >&2; exit 1; }
  echo "envtest: building $name $K8S_VERSION into $cache (minutes on 2 cores)"
  trap "rm -f '$tmp'" EXIT   # the value now: $tmp is local
  # The checksum database does not answer for k8s.io modules here; go.sum pins them.
  (cd "$here" && CGO_ENABLED=0 GONOSUMDB=k8s.io GOFLAGS="${GOFLAGS:-} -mod=readonly" \
     go build -trimpath -ldflags="$ldflags" -o "$tmp" "k8s.io/kubernetes/cmd/$name")
  mv "$tmp" "$cache/$name"
  trap - EXIT
}

wanted=("$@")
[[ ${#wanted[@]} -gt 0 ]] || wanted=(kube-apiserver kube-controller-manager kube-scheduler kubelet)
for name in "${wanted[@]}"; do [[ $name == multus ]] || build "$name"; done

# Multus thin plugin: the real node's primary CNI (its own module: older client-go).
MULTUS_VERSION=v4.3.0                                  # keep in step with multus/go.mod and binaries.ts
multus_cache="${GALACTIC_CACHE:-$HOME/.cache/galactic}/multus/$MULTUS_VERSION"
if [[ " ${wanted[*]} " == *" multus "* || $# -eq 0 ]]; then
  if [[ -x "$multus_cache/multus" ]]; then
    echo "envtest: $multus_cache/multus present"
  else
    echo "envtest: building multus $MULTUS_VERSION into $multus_cache"
    mkdir -p "$multus_cache"
    (cd "$here/multus" && CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=readonly" \
       go build -trimpath -ldflags="-s -w" -o "$multus_cache/multus.tmp.$$" gopkg.in/k8snetworkplumbingwg/multus-cni.v4/cmd/multus)
    mv "$multus_cache/multus.tmp.$$" "$multus_cache/multus"
  fi
fi

# kubectl: the tests drive the API server with it. Machines without one get
# the same release built from this module, linked into /usr/local/bin.
if ! command -v kubectl >/dev/null; then
  build kubectl
  ln -sf "$cache/kubectl" /usr/local/bin/kubectl
fi

for name in "${wanted[@]}"; do [[ $name == multus ]] || "$cache/$name" --version; done
/usr/bin/etcd --version | head -1
echo "envtest: ready in $((SECONDS - start))s"

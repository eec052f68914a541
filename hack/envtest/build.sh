#!/usr/bin/env bash
# Builds the test control plane for hack/envtest: kube-apiserver,
# kube-controller-manager (and kubectl
# where the machine has none) from the Kubernetes release pinned in go.mod,
# and etcd from Debian's etcd-server.
# Idempotent: an existing binary in the cache is kept. The cache is outside the
# repo: ${GALACTIC_CACHE:-$HOME/.cache/galactic}/envtest/<version>/.
set -euo pipefail

K8S_VERSION=v1.32.4                                    # keep in step with go.mod
K8S_COMMIT=59526cd4867447956156ae3a602fcbac10a2c335    # tag v1.32.4 (version info only)
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

ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=32"
  ldflags+=" -X $pkg.gitCommit=$K8S_COMMIT -X $pkg.gitTreeState=clean"
done

# kube-controller-manager runs only where a test asks for it (garbage
# collection of owned objects); it is built from the same release.
for bin in kube-apiserver kube-controller-manager; do
  if [[ -x "$cache/$bin" ]]; then
    echo "envtest: $cache/$bin present"
    continue
  fi
  command -v go >/dev/null || { echo "envtest: Go >= 1.24 is needed to build $bin" >&2; exit 1; }
  echo "envtest: building $bin $K8S_VERSION into $cache (takes many minutes on 2 cores)"
  tmp="$cache/$bin.tmp.$$"
  trap 'rm -f "$tmp"' EXIT
  # The checksum database does not answer for k8s.io modules here; go.sum pins them.
  (cd "$here" && CGO_ENABLED=0 GONOSUMDB=k8s.io GOFLAGS="${GOFLAGS:-} -mod=readonly" \
     go build -trimpath -ldflags="$ldflags" -o "$tmp" "k8s.io/kubernetes/cmd/$bin")
  mv "$tmp" "$cache/$bin"
done

# kubectl: the tests drive the API server with it. Machines without one get
# the same release built from this module, linked into /usr/local/bin.
if ! command -v kubectl >/dev/null; then
  if [[ ! -x "$cache/kubectl" ]]; then
    echo "envtest: building kubectl $K8S_VERSION into $cache"
    (cd "$here" && CGO_ENABLED=0 GONOSUMDB=k8s.io GOFLAGS="${GOFLAGS:-} -mod=readonly" \
       go build -trimpath -ldflags="$ldflags" -o "$cache/kubectl.tmp.$$" k8s.io/kubernetes/cmd/kubectl)
    mv "$cache/kubectl.tmp.$$" "$cache/kubectl"
  fi
  ln -sf "$cache/kubectl" /usr/local/bin/kubectl
fi

"$cache/kube-apiserver" --version
"$cache/kube-controller-manager" --version
/usr/bin/etcd --version | head -1
echo "envtest: ready in $((SECONDS - start))s"

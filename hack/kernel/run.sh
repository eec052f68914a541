#!/bin/sh
# Runs COMMAND (a shell command line) as root on a kernel with VRF and SRv6 (qemu
# guest unless this machine's kernel has them) and exits with its status.
#   hack/kernel/run.sh 'ip link add v1 type vrf table 10 && ip -d link show v1'
# The guest sees this machine's files read-only (writes go to a throwaway layer);
# the command runs in the caller's working directory.
set -eu
[ $# -gt 0 ] || { echo "usage: $0 'command'" >&2; exit 2; }
here=$(pwd)
cd "$(dirname "$0")/../.."   # tsx resolves from the checkout
exec node --import tsx hack/kernel/run.ts --cwd "$here" -- /bin/sh -c "$*"

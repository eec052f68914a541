# Sourced by the capture scripts: network namespace $N prepared like a node
# (VRF strict mode, lo up, the encap device lo-galactic), deleted on exit.
set -e
ip netns add $N
trap 'ip netns del $N' EXIT
ip netns exec $N sysctl -qw net.vrf.strict_mode=1
ip -n $N link set lo up
ip -n $N link add lo-galactic type dummy && ip -n $N link set lo-galactic up

#!/bin/sh
# Captures real `ip -j` output of the kernel objects the agent reads, for the
# parser tests (agent/kernel-state.test.ts). Needs VRF and seg6local: run it
# through the kernel harness from the repository root:
#   hack/kernel/run.sh 'sh agent/testdata/capture.sh' > agent/testdata/ip-json.txt
# Output: "### <ip arguments>" followed by that command's output, per command.
N=capture
. "$(dirname "$0")/node-netns.sh"
ip -n $N link add G000000cIn001V type vrf table 7 && ip -n $N link set G000000cIn001V up
ip -n $N link add G000000cIn001H type veth peer name G000000cIn001G
ip -n $N link set G000000cIn001H master G000000cIn001V up
# ingress SID (ours, protocol 201) and a CNI termination route (not ours)
ip -n $N -6 route replace 2001:db8:ff01::beef:1/128 encap seg6local action End.DT46 vrftable 7 dev G000000cIn001V proto 201
ip -n $N route add 10.1.1.0/24 dev G000000cIn001H scope link table 7
ip -n $N -6 route add 2001:10:1:1::/64 dev G000000cIn001H table 7
# egress through nexthop objects, one per remote SID and family
ip -n $N -4 nexthop add id 1191182336 encap seg6 mode encap segs 2001:db8:ff02::beef:2 dev lo-galactic
ip -n $N -6 nexthop add id 1191182337 encap seg6 mode encap segs 2001:db8:ff02::beef:2 dev lo-galactic
ip -n $N route add 10.1.1.2/32 nhid 1191182336 table 7 proto 201
ip -n $N route add 192.168.2.0/24 nhid 1191182336 table 7 proto 201
ip -n $N route add default nhid 1191182336 table 7 proto 201
ip -n $N -6 route add 2001:10:1:1::2/128 nhid 1191182337 table 7 proto 201
ip -n $N -6 route add 2001:2::/64 nhid 1191182337 table 7 proto 201
# a foreign nexthop and a route with inline encap (not ours)
ip -n $N -6 nexthop add id 5 encap seg6 mode encap segs 2001:db8:ff09::1,2001:db8:ff09::2 dev lo-galactic
ip -n $N -6 route add 2001:9::/64 encap seg6 mode encap segs 2001:db8:ff09::9 dev lo-galactic table 7
ip -n $N neigh add proxy 10.1.1.2 dev G000000cIn001H
ip -n $N neigh add proxy 2001:10:1:1::2 dev G000000cIn001H
for args in '-4 route show table all' '-6 route show table all' '-N -4 route show table all' '-N -6 route show table all' \
  '-4 nexthop' '-6 nexthop' 'neigh show proxy' '-d link show' 'link show type vrf' 'link show type bond'; do
  echo "### $args"
  ip -n $N -j $args
  echo
done

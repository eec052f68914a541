#!/bin/sh
# Captures real `ip -N monitor route nexthop link` output while the objects
# the agent makes are created and removed, for agent/kernel-events.test.ts.
# Needs VRF and seg6local: run it through the kernel harness from the
# repository root:
#   hack/kernel/run.sh 'sh agent/testdata/capture-monitor.sh' > agent/testdata/ip-monitor.txt
N=capmon
. "$(dirname "$0")/node-netns.sh"
ip -n $N -N monitor route nexthop link > /run/$N.monitor &
MONITOR=$!
sleep 1
ip -n $N link add G000000cIn001V type vrf table 7 && ip -n $N link set G000000cIn001V up
ip -n $N link add G000000cIn001H type veth peer name G000000cIn001G
ip -n $N link set G000000cIn001H master G000000cIn001V up
ip -n $N -6 route replace 2001:db8:ff01::beef:1/128 encap seg6local action End.DT46 vrftable 7 dev G000000cIn001V proto 201
ip -n $N -4 nexthop add id 1191182336 encap seg6 mode encap segs 2001:db8:ff02::beef:2 dev lo-galactic
ip -n $N -6 nexthop add id 1191182337 encap seg6 mode encap segs 2001:db8:ff02::beef:2 dev lo-galactic
ip -n $N route replace 10.1.1.2/32 nhid 1191182336 table 7 proto 201
ip -n $N route replace default nhid 1191182336 table 7 proto 201
ip -n $N -6 route replace 2001:10:1:1::2/128 nhid 1191182337 table 7 proto 201
ip -n $N route add 192.0.2.0/24 dev G000000cIn001H table 7
ip -n $N route del 10.1.1.2/32 table 7
ip -n $N -6 route del 2001:db8:ff01::beef:1/128
ip -n $N nexthop del id 1191182337
ip -n $N link del G000000cIn001H
sleep 1
kill $MONITOR
cat /run/$N.monitor
rm /run/$N.monitor

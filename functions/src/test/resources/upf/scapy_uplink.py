#!/usr/bin/python3
"""Crafts GTP-U toward the upf with scapy's own GTP-U layers and writes them to a pcap.

usage: scapy_uplink.py OUT.pcap GNB N3 TEID UE REMOTE
Packets, in order: a G-PDU with a PDU Session Container (uplink, QFI 9) carrying UDP; the same
with a sequence number and no container carrying TCP; an IPv6-inner G-PDU (QFI 9); an Echo
Request (sequence 77); an End Marker.
"""
import sys
from scapy.all import Ether, IP, IPv6, UDP, TCP, Raw, wrpcap
from scapy.contrib.gtp import GTP_U_Header, GTPPDUSessionContainer

out, gnb, n3, teid, ue, remote = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4], 0), sys.argv[5], sys.argv[6]

def outer():
    return Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:0a") / IP(src=gnb, dst=n3) / UDP(sport=2152, dport=2152)

packets = [
    outer() / GTP_U_Header(teid=teid, gtp_type=255) / GTPPDUSessionContainer(type=1, QFI=9)
        / IP(src=ue, dst=remote) / UDP(sport=40000, dport=53) / Raw(b"scapy-uplink-udp"),
    outer() / GTP_U_Header(teid=teid, gtp_type=255, S=1, seq=4242)
        / IP(src=ue, dst=remote) / TCP(sport=40001, dport=443, flags="S") / Raw(b"scapy-uplink-tcp"),
    outer() / GTP_U_Header(teid=teid, gtp_type=255) / GTPPDUSessionContainer(type=1, QFI=9)
        / IPv6(src="2001:db8:45::7", dst="2001:db8:5::9") / UDP(sport=40002, dport=53) / Raw(b"v6"),
    outer() / GTP_U_Header(teid=0, gtp_type=1, S=1, seq=77),
    outer() / GTP_U_Header(teid=teid, gtp_type=254),
]
wrpcap(out, packets)

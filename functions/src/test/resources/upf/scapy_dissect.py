#!/usr/bin/python3
"""Reads the upf's output with scapy and prints one line per packet of what scapy's dissectors saw:

  gtp_type;teid;seq;qfi;pdu_type;outer_src;outer_dst;udp_dport;ip_chksum_ok;inner_src;inner_dst;inner_sport;inner_dport;recovery_ies (type:restart counter)

Empty fields are layers scapy did not find. ip_chksum_ok compares the stored outer IPv4 checksum
with the one scapy computes when asked to rebuild it.
"""
import sys
from scapy.all import rdpcap, IP, IPv6, UDP, TCP
from scapy.contrib.gtp import GTP_U_Header, GTPPDUSessionContainer, GTPEchoResponse

for p in rdpcap(sys.argv[1]):
    f = []
    g = p.getlayer(GTP_U_Header)
    f += [g.gtp_type, g.teid, g.seq if g.S else ""] if g else ["", "", ""]
    c = p.getlayer(GTPPDUSessionContainer)
    f += [c.QFI, c.type] if c else ["", ""]
    o = p.getlayer(IP) or p.getlayer(IPv6)
    f += [o.src, o.dst]
    u = p.getlayer(UDP)
    f += [u.dport if u else ""]
    if IP in p:
        stored = p[IP].chksum
        rebuilt = IP(bytes(p[IP]))
        del rebuilt.chksum
        f += [int(IP(bytes(rebuilt))[IP].chksum == stored)]
    else:
        f += [""]
    inner = None
    if g is not None:
        inner = g.payload.getlayer(IP)
        if inner is None:
            inner = g.payload.getlayer(IPv6)
    if inner is not None:
        l4 = inner.getlayer(UDP) or inner.getlayer(TCP)
        f += [inner.src, inner.dst, l4.sport if l4 else "", l4.dport if l4 else ""]
    else:
        f += ["", "", "", ""]
    r = p.getlayer(GTPEchoResponse)
    ies = r.IE_list if r is not None else []
    f += [",".join("%d:%d" % (ie.ietype, ie.restart_counter) for ie in ies)]
    print(";".join(str(x) for x in f))

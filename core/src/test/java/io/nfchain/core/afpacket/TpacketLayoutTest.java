package io.nfchain.core.afpacket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nfchain.core.testing.HostTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every offset and size in {@link TpacketLayout} against {@code offsetof}/{@code sizeof}
 * compiled from the installed {@code <linux/if_packet.h>}, and against the figures written
 * down from it, so a drift in either shows.
 */
class TpacketLayoutTest {
    /** Name as the C program prints it, and our constant. */
    private static final Map<String, Long> OURS = new LinkedHashMap<>();

    static {
        OURS.put("tpacket_req3.tp_block_size", TpacketLayout.REQ_BLOCK_SIZE_OFFSET);
        OURS.put("tpacket_req3.tp_block_nr", TpacketLayout.REQ_BLOCK_NR_OFFSET);
        OURS.put("tpacket_req3.tp_frame_size", TpacketLayout.REQ_FRAME_SIZE_OFFSET);
        OURS.put("tpacket_req3.tp_frame_nr", TpacketLayout.REQ_FRAME_NR_OFFSET);
        OURS.put("tpacket_req3.tp_retire_blk_tov", TpacketLayout.REQ_RETIRE_BLK_TOV_OFFSET);
        OURS.put("tpacket_req3.tp_sizeof_priv", TpacketLayout.REQ_SIZEOF_PRIV_OFFSET);
        OURS.put("tpacket_req3.tp_feature_req_word", TpacketLayout.REQ_FEATURE_REQ_WORD_OFFSET);
        OURS.put("sizeof tpacket_req3", (long) TpacketLayout.REQ_BYTES);
        OURS.put("tpacket3_hdr.tp_next_offset", TpacketLayout.HDR_NEXT_OFFSET);
        OURS.put("tpacket3_hdr.tp_sec", TpacketLayout.HDR_SEC_OFFSET);
        OURS.put("tpacket3_hdr.tp_nsec", TpacketLayout.HDR_NSEC_OFFSET);
        OURS.put("tpacket3_hdr.tp_snaplen", TpacketLayout.HDR_SNAPLEN_OFFSET);
        OURS.put("tpacket3_hdr.tp_len", TpacketLayout.HDR_LEN_OFFSET);
        OURS.put("tpacket3_hdr.tp_status", TpacketLayout.HDR_STATUS_OFFSET);
        OURS.put("tpacket3_hdr.tp_mac", TpacketLayout.HDR_MAC_OFFSET);
        OURS.put("tpacket3_hdr.tp_net", TpacketLayout.HDR_NET_OFFSET);
        OURS.put("tpacket3_hdr.hv1.tp_rxhash", TpacketLayout.HDR_RXHASH_OFFSET);
        OURS.put("tpacket3_hdr.hv1.tp_vlan_tci", TpacketLayout.HDR_VLAN_TCI_OFFSET);
        OURS.put("tpacket3_hdr.hv1.tp_vlan_tpid", TpacketLayout.HDR_VLAN_TPID_OFFSET);
        OURS.put("sizeof tpacket3_hdr", (long) TpacketLayout.HDR_BYTES);
        OURS.put("TPACKET3_HDRLEN", (long) TpacketLayout.HDRLEN);
        OURS.put("tpacket_block_desc.version", TpacketLayout.BLOCK_VERSION_OFFSET);
        OURS.put("tpacket_block_desc.offset_to_priv", TpacketLayout.BLOCK_OFFSET_TO_PRIV_OFFSET);
        OURS.put("tpacket_block_desc.hdr.bh1.block_status", TpacketLayout.BLOCK_STATUS_OFFSET);
        OURS.put("tpacket_block_desc.hdr.bh1.num_pkts", TpacketLayout.BLOCK_NUM_PKTS_OFFSET);
        OURS.put("tpacket_block_desc.hdr.bh1.offset_to_first_pkt", TpacketLayout.BLOCK_FIRST_PKT_OFFSET);
        OURS.put("tpacket_block_desc.hdr.bh1.blk_len", TpacketLayout.BLOCK_LEN_OFFSET);
        OURS.put("tpacket_block_desc.hdr.bh1.seq_num", TpacketLayout.BLOCK_SEQ_NUM_OFFSET);
        OURS.put("tpacket_block_desc.hdr.bh1.ts_first_pkt", TpacketLayout.BLOCK_TS_FIRST_OFFSET);
        OURS.put("tpacket_block_desc.hdr.bh1.ts_last_pkt", TpacketLayout.BLOCK_TS_LAST_OFFSET);
        OURS.put("sizeof tpacket_block_desc", (long) TpacketLayout.BLOCK_DESC_BYTES);
        OURS.put("tpacket_stats_v3.tp_packets", TpacketLayout.STATS_PACKETS_OFFSET);
        OURS.put("tpacket_stats_v3.tp_drops", TpacketLayout.STATS_DROPS_OFFSET);
        OURS.put("tpacket_stats_v3.tp_freeze_q_cnt", TpacketLayout.STATS_FREEZE_Q_CNT_OFFSET);
        OURS.put("sizeof tpacket_stats_v3", (long) TpacketLayout.STATS_BYTES);
        OURS.put("packet_mreq.mr_ifindex", TpacketLayout.MREQ_IFINDEX_OFFSET);
        OURS.put("packet_mreq.mr_type", TpacketLayout.MREQ_TYPE_OFFSET);
        OURS.put("packet_mreq.mr_alen", TpacketLayout.MREQ_ALEN_OFFSET);
        OURS.put("packet_mreq.mr_address", TpacketLayout.MREQ_ADDRESS_OFFSET);
        OURS.put("sizeof packet_mreq", (long) TpacketLayout.MREQ_BYTES);
        OURS.put("PACKET_MR_PROMISC", (long) TpacketLayout.PACKET_MR_PROMISC);
        OURS.put("TP_STATUS_USER", (long) TpacketLayout.TP_STATUS_USER);
        OURS.put("TP_STATUS_VLAN_VALID", (long) TpacketLayout.TP_STATUS_VLAN_VALID);
        OURS.put("TP_STATUS_VLAN_TPID_VALID", (long) TpacketLayout.TP_STATUS_VLAN_TPID_VALID);
        OURS.put("TP_STATUS_SEND_REQUEST", (long) TpacketLayout.TP_STATUS_SEND_REQUEST);
        OURS.put("TP_STATUS_SENDING", (long) TpacketLayout.TP_STATUS_SENDING);
        OURS.put("TP_STATUS_WRONG_FORMAT", (long) TpacketLayout.TP_STATUS_WRONG_FORMAT);
    }

    /** Read off if_packet.h (Linux 6.x, x86_64) by hand; the compiled check below confirms them. */
    @Test
    void offsetsAreTheHeaderFigures() {
        long[] expected = {0, 4, 8, 12, 16, 20, 24, 28, 0, 4, 8, 12, 16, 20, 24, 26, 28, 32, 36, 48, 68,
            0, 4, 8, 12, 16, 20, 24, 32, 40, 48, 0, 4, 8, 12, 0, 4, 6, 8, 16, 1, 1, 16, 64, 1, 2, 4};
        List<Entry<String, Long>> ours = List.copyOf(OURS.entrySet());
        assertEquals(expected.length, ours.size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], ours.get(i).getValue(), ours.get(i).getKey());
        }
        assertEquals(82, TpacketLayout.RX_MAC_OFFSET, "TPACKET_ALIGN(68 + 16) - 14");
        assertEquals(48, TpacketLayout.TX_DATA_OFFSET, "TPACKET3_HDRLEN - sizeof(struct sockaddr_ll)");
    }

    @Test
    void offsetsMatchTheInstalledHeaderCompiled(@TempDir Path dir) throws Exception {
        Path cc = HostTools.requireProgram("cc");
        StringBuilder c = new StringBuilder("""
                #include <stdio.h>
                #include <stddef.h>
                #include <linux/if_packet.h>
                int main(void) {
                """);
        for (String name : OURS.keySet()) {
            String value;
            if (name.startsWith("sizeof ")) {
                value = "sizeof(struct " + name.substring(7) + ")";
            } else if (name.contains(".")) {
                int dot = name.indexOf('.');
                value = "offsetof(struct " + name.substring(0, dot) + ", " + name.substring(dot + 1) + ")";
            } else {
                value = name;
            }
            c.append("    printf(\"%s %lu\\n\", \"").append(name).append("\", (unsigned long) (").append(value).append("));\n");
        }
        c.append("    return 0;\n}\n");
        Path source = Files.writeString(dir.resolve("offsets.c"), c);
        Path binary = dir.resolve("offsets");
        HostTools.run(List.of(cc.toString(), "-o", binary.toString(), source.toString()), Map.of());
        List<String> lines = HostTools.run(List.of(binary.toString()), Map.of());
        assertEquals(OURS.size(), lines.size());
        for (String line : lines) {
            String name = line.substring(0, line.lastIndexOf(' '));
            long value = Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
            assertEquals(value, OURS.get(name), name);
        }
    }
}

package dev.iommufx.io.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.model.Acs;
import dev.iommufx.model.PcieType;
import org.junit.jupiter.api.Test;

/** Configuration-space walks on hand-made bytes: loops, short reads, CardBus, the extended list. */
class PciConfigSpaceTest {

    private static byte[] config(int size) {
        byte[] b = new byte[size];
        b[0x06] = 0x10; // status: capability list
        return b;
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
    }

    private static void put32(byte[] b, int off, long v) {
        put16(b, off, (int) v & 0xffff);
        put16(b, off + 2, (int) (v >> 16) & 0xffff);
    }

    @Test
    void findsThePcieCapabilityAndAcsBehindOtherCapabilities() {
        byte[] b = config(4096);
        b[0x0e] = (byte) 0x81; // multifunction, type 1 header
        b[0x34] = 0x40;
        b[0x40] = 0x01; // power management
        b[0x41] = 0x60;
        b[0x60] = 0x10; // PCI Express
        b[0x61] = 0x00;
        put16(b, 0x62, 0x0042); // version 2, type 4: root port
        put32(b, 0x100, 0x0001L | 1L << 16 | 0x140L << 20); // AER, next 0x140
        put32(b, 0x140, 0x000dL | 1L << 16); // ACS, last
        put16(b, 0x144, 0x005f);
        put16(b, 0x146, 0x001d);
        PciConfigSpace c = new PciConfigSpace(b);
        assertThat(c.multifunction()).isTrue();
        int exp = c.findCapability(PciConfigSpace.CAP_ID_EXP);
        assertThat(exp).isEqualTo(0x60);
        assertThat(PciConfigSpace.pcieType(c.pcieTypeCode(exp))).isEqualTo(PcieType.ROOT_PORT);
        assertThat(c.acs(c.findExtCapability(PciConfigSpace.EXT_CAP_ID_ACS))).isEqualTo(new Acs(0x5f, 0x1d));
    }

    @Test
    void loopsEndAndShortReadsAreUnknownNotGuessed() {
        byte[] loop = config(256);
        loop[0x34] = 0x40;
        loop[0x40] = 0x05;
        loop[0x41] = 0x40; // points at itself
        assertThat(new PciConfigSpace(loop).findCapability(PciConfigSpace.CAP_ID_EXP)).isZero();
        assertThat(new PciConfigSpace(loop).findExtCapability(PciConfigSpace.EXT_CAP_ID_ACS))
                .isEqualTo(PciConfigSpace.UNREADABLE);

        byte[] extLoop = config(4096);
        put32(extLoop, 0x100, 0x0001L | 0x100L << 20);
        assertThat(new PciConfigSpace(extLoop).findExtCapability(PciConfigSpace.EXT_CAP_ID_ACS)).isZero();

        byte[] nonRoot = java.util.Arrays.copyOf(loop, 64);
        nonRoot[0x34] = (byte) 0x80;
        assertThat(new PciConfigSpace(nonRoot).findCapability(PciConfigSpace.CAP_ID_EXP))
                .isEqualTo(PciConfigSpace.UNREADABLE);
        assertThat(new PciConfigSpace(new byte[8]).multifunction()).isNull();
        assertThat(PciConfigSpace.pcieType(3)).isNull();
    }

    @Test
    void cardBusBridgesKeepTheirPointerAt0x14() {
        byte[] b = config(256);
        b[0x0e] = 0x02;
        b[0x14] = (byte) 0x80;
        b[0x80] = 0x10;
        assertThat(new PciConfigSpace(b).findCapability(PciConfigSpace.CAP_ID_EXP)).isEqualTo(0x80);
    }

    @Test
    void noCapabilityListBitMeansNoCapabilities() {
        byte[] b = new byte[256];
        b[0x34] = 0x40;
        b[0x40] = 0x10;
        assertThat(new PciConfigSpace(b).findCapability(PciConfigSpace.CAP_ID_EXP)).isZero();
    }
}

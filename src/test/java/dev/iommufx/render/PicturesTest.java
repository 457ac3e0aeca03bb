package dev.iommufx.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iommufx.bench.TopologyGenerator;
import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.Profile;
import dev.iommufx.io.MachineFiles;
import dev.iommufx.io.Printable;
import dev.iommufx.layout.MachineLayout;
import dev.iommufx.layout.MachineLayout.Detail;
import dev.iommufx.layout.MachineLayout.Tile;
import dev.iommufx.layout.MachineSnapshot;
import dev.iommufx.layout.StructuralLayout;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.Topology;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** SVG and PNG pictures: well-formed, escaped, with the legend and the profile, in the stylesheet's colours. */
class PicturesTest {
    /** A device name as a stranger's file may have it: markup, an ampersand, quotes, a bell, a bidi override. */
    private static final String HOSTILE = "<script>&\"'\u0007\u202e]]>\ud800";

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    private static Kernel workstation() throws Exception {
        return Kernel.boot(MachineFiles.load(MachineFiles.locate("bundled:workstation.json")).topology());
    }

    /** The workstation with its GPU renamed by a stranger, and group 8 claimed by a user (blocked). */
    private static Kernel hostileWorkstation() throws Exception {
        Topology t = workstation().topology();
        List<DeviceSpec> devices = new ArrayList<>();
        for (DeviceSpec d : t.devices()) {
            devices.add(!d.id().equals("0000:01:00.0") ? d : new DeviceSpec(d.id(), d.bus(), d.parent(), d.vendor(),
                    d.device(), d.pciClass(), d.compatible(), HOSTILE, d.driver(), d.group(), d.multifunction(),
                    d.pcieType(), d.acs(), d.driverOverride(), d.requiredDomain(), d.quirks(), d.physfn()));
        }
        Kernel k = Kernel.boot(new Topology(t.name(), t.description(), t.defaultDomainType(), devices, t.drivers(),
                t.groups()), Profile.NEWEST);
        for (String fn : List.of("0000:01:00.0", "0000:01:00.1")) {
            assertThat(k.unbind(fn).ok()).isTrue();
            assertThat(k.driverOverride(fn, "vfio-pci").ok()).isTrue();
            assertThat(k.bind(fn, "vfio-pci").ok()).isTrue();
        }
        assertThat(k.vfioOpenGroup(8, "G").ok()).isTrue();
        assertThat(k.vfioOpenContainer("C").ok()).isTrue();
        assertThat(k.vfioSetContainer("G", "C").ok()).isTrue();
        assertThat(k.group(8).state()).isEqualTo(GroupState.BLOCKED);
        return k;
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
    }

    private static Element byId(Document d, String id) {
        NodeList gs = d.getElementsByTagName("g");
        for (int i = 0; i < gs.getLength(); i++) {
            Element g = (Element) gs.item(i);
            if (id.equals(g.getAttribute("id"))) {
                return g;
            }
        }
        throw new AssertionError("no <g id=\"" + id + "\">");
    }

    @ParameterizedTest
    @EnumSource(Detail.class)
    void theSvgParsesBackWithTheHostileNameAsTextTheLegendAndTheProfile(Detail detail) throws Exception {
        Kernel k = hostileWorkstation();
        MachineLayout l = StructuralLayout.compute(MachineSnapshot.of(k), StructuralLayout.Options.of(detail));
        String svg = Pictures.svg(l, Caption.of(k, "after boot"), Palette.fromStylesheet());
        Document d = parse(svg);
        assertThat(d.getElementsByTagName("script").getLength()).isZero();
        Element group8 = byId(d, "group-8");
        assertThat(group8.getAttribute("class")).isEqualTo("tile blocked");
        Element box = (Element) group8.getElementsByTagName("rect").item(0);
        assertThat(box.getAttribute("fill")).isEqualTo("#fbe0a8");
        assertThat(box.getAttribute("stroke-dasharray")).isNotEmpty();
        String shown = group8.getTextContent();
        // the name is there as text, its control characters made visible (an overview tile has room for its start)
        assertThat(shown).contains("<script>&\"'").doesNotContain("\u0007").doesNotContain("\u202e");
        if (detail == Detail.CARDS) {
            assertThat(shown).contains(Printable.of(HOSTILE).replace('\ud800', '\ufffd'));
        }

        Element legend = byId(d, "legend");
        assertThat(legend.getTextContent()).contains("kernel newest", Profile.NEWEST.title(), "after boot",
                "default domain (U0)", "DMA-API owned (K)", "blocked (UB): 1", "user-claimed (UU): 0");
        Palette css = Palette.fromStylesheet();
        for (GroupState s : GroupState.values()) {
            Element swatch = (Element) byId(d, "legend-" + PictureDrawer.cssName(s)).getElementsByTagName("rect")
                    .item(0);
            assertThat(swatch.getAttribute("fill")).isEqualTo(css.of(s).fill());
            assertThat(swatch.getAttribute("stroke")).isEqualTo(css.of(s).border());
        }
    }

    @Test
    void theColoursAreTheWindowStylesheets() throws Exception {
        String css = Files.readString(Path.of("src/main/resources/dev/iommufx/ui/iommufx.css"));
        Palette p = Palette.fromStylesheet();
        assertThat(css).contains("-state-default: " + p.of(GroupState.DEFAULT_DOMAIN).fill() + ";",
                "-state-dma-api: " + p.of(GroupState.DMA_API_OWNED).fill() + ";",
                "-state-blocked-border: " + p.of(GroupState.BLOCKED).border() + ";",
                "-state-user: " + p.of(GroupState.USER_CLAIMED).fill() + ";");
        // the border widths and the dash are those of the stylesheet's state rules
        assertThat(css).contains(".group-box:user-claimed .group-body, .legend-swatch:user-claimed {\n"
                + "    -fx-background-color: -state-user; -fx-border-color: -state-user-border; -fx-border-width: 3;");
        assertThat(css).contains("-fx-border-width: 2.5;\n    -fx-border-style: segments(7, 4);");
        assertThatThrownBy(() -> Palette.parse(".root { -state-default: #e4e4e4; }"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("-state-default");
    }

    @Test
    void thePngDecodesAndAGroupsBoxHasItsStatesColour() throws Exception {
        Kernel k = hostileWorkstation();
        for (Detail detail : Detail.values()) {
            MachineLayout l = StructuralLayout.compute(MachineSnapshot.of(k), StructuralLayout.Options.of(detail));
            Pictures.Png png = Pictures.png(l, Caption.of(k, "after boot"), Palette.fromStylesheet());
            BufferedImage back = roundTrip(png.image());
            assertThat(png.capped()).isFalse();
            assertThat(png.scale()).isEqualTo(Pictures.LEGIBLE_SCALE);
            Palette p = Palette.fromStylesheet();
            for (Tile t : l.tiles()) {
                int x = (int) ((t.rect().right() - 5) * png.scale());
                int y = (int) ((t.rect().y() + PictureDrawer.LEGEND_H + t.rect().h() / 2) * png.scale());
                assertThat(back.getRGB(x, y) & 0xffffff).as("group " + t.group() + " in " + detail)
                        .isEqualTo(Palette.rgb(p.of(t.state()).fill()));
            }
            assertThat(l.tiles()).anyMatch(t -> t.state() == GroupState.BLOCKED);
        }
    }

    @Test
    void aThirteenThousandFunctionMachineStaysWithinThePixelCapAndSaysSo() throws Exception {
        Kernel k = Kernel.boot(TopologyGenerator.generate(13_000));
        MachineLayout l = Pictures.layout(MachineSnapshot.of(k));
        assertThat(l.detail()).isEqualTo(Detail.OVERVIEW);
        Pictures.Png png = Pictures.png(l, Caption.of(k, "after boot"), Palette.fromStylesheet());
        long pixels = (long) png.image().getWidth() * png.image().getHeight();
        assertThat(pixels).isLessThanOrEqualTo(Pictures.MAX_PIXELS);
        assertThat(png.image().getWidth()).isLessThan(Pictures.MAX_SIDE);
        assertThat(png.capped()).isTrue();
        assertThat(png.scale()).isLessThan(Pictures.LEGIBLE_SCALE);
    }

    @Test
    void aDesktopIsDrawnAsCardsAndTheSvgIsText() throws Exception {
        Kernel k = workstation();
        MachineLayout l = Pictures.layout(MachineSnapshot.of(k));
        assertThat(l.detail()).isEqualTo(Detail.CARDS);
        String svg = Pictures.svg(l, Caption.of(k, "after boot"), Palette.fromStylesheet());
        assertThat(svg).startsWith("<?xml").contains("<text", "GeForce RTX 4070").doesNotContain("<image");
    }

    private static BufferedImage roundTrip(BufferedImage image) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, "png", bytes)).isTrue();
        return ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
    }
}

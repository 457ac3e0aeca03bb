package dev.iommufx.plan;

import static dev.iommufx.plan.Machines.GPU;
import static dev.iommufx.plan.Machines.GPU_AUDIO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.Kernel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan in the forms VM managers take: libvirt (checked with libvirt's own schema), Proxmox and QEMU. */
class VmConfigExportTest {
    private static final Path VALIDATOR = Path.of("/usr/bin/virt-xml-validate");

    private static Plan gpuPlan() throws Exception {
        Kernel k = Machines.boot("workstation.json");
        return PassthroughPlanner.plan(k, List.of(GPU));
    }

    /** The elements inside a minimal q35 domain, validated by {@code virt-xml-validate FILE domain}. */
    private static ValidatorRun validate(String devices, Path dir) throws Exception {
        assertThat(VALIDATOR).as("virt-xml-validate is installed (src/test/setup/ensure-test-tools.sh)")
                .isExecutable();
        Path file = dir.resolve("domain.xml");
        Files.writeString(file, "<domain type='kvm'><name>iommufx-test</name><memory unit='MiB'>1024</memory>"
                + "<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>\n" + devices
                + "</devices></domain>\n", StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(VALIDATOR.toString(), file.toString(), "domain").redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new ValidatorRun(p.exitValue(), output);
    }

    record ValidatorRun(int exit, String output) {
    }

    @Test
    void libvirtAcceptsTheHostdevsOfAGpuAndItsAudioInOneMultifunctionSlot(@TempDir Path dir) throws Exception {
        String xml = LibvirtExport.render(gpuPlan());
        assertThat(xml).contains("<hostdev mode='subsystem' type='pci' managed='yes'>",
                "<address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>",
                "<address domain='0x0000' bus='0x01' slot='0x00' function='0x1'/>",
                "bus='0x10' slot='0x00' function='0x0' multifunction='on'/>",
                "bus='0x10' slot='0x00' function='0x1'/>",
                "<controller type='pci' index='16' model='pcie-root-port'/>");
        assertThat(xml.split("<hostdev ", -1)).hasSize(3);
        ValidatorRun run = validate(xml, dir);
        assertThat(run.exit()).as(run.output()).isZero();
    }

    /** The validator really checks: the same XML with a value libvirt does not know is refused. */
    @Test
    void theSchemaCheckCanFail(@TempDir Path dir) throws Exception {
        String broken = LibvirtExport.render(gpuPlan()).replace("managed='yes'", "managed='sometimes'");
        assertThat(validate(broken, dir).exit()).isNotZero();
    }

    @Test
    void aFreeTextNameCannotBreakOutOfItsXmlComment(@TempDir Path dir) throws Exception {
        assertThat(LibvirtExport.xmlComment("a -- b --> <script> &amp; -")).doesNotContain("--").doesNotContain("<")
                .doesNotContain(">").doesNotContain("&");
    }

    @Test
    void proxmoxPassesTheFunctionsTogetherAsAPrimaryGpu() throws Exception {
        String text = ProxmoxExport.render(gpuPlan(), "104");
        assertThat(text.lines().filter(l -> l.startsWith("qm set")).toList())
                .containsExactly("qm set '104' --hostpci0 '0000:01:00.0;0000:01:00.1,pcie=1,x-vga=1'");
        assertThat(ProxmoxExport.render(gpuPlan(), null)).contains("qm set 'VMID' --hostpci0", "Replace VMID");
    }

    @Test
    void aNicIsNotAPrimaryGpu() throws Exception {
        Kernel k = Machines.boot("workstation.json");
        String text = ProxmoxExport.render(PassthroughPlanner.plan(k, List.of(Machines.NIC)), "100");
        assertThat(text).contains("--hostpci0 '0000:03:00.0,pcie=1'").doesNotContain("x-vga");
    }

    @Test
    void qemuPutsBothFunctionsOnOneRootPortSlot() throws Exception {
        assertThat(QemuExport.render(gpuPlan()).lines().filter(l -> l.startsWith("-device")).toList()).containsExactly(
                "-device pcie-root-port,id=iommufx-rp1,chassis=1,slot=1 \\",
                "-device vfio-pci,host=" + GPU + ",bus=iommufx-rp1,addr=00.0,multifunction=on \\",
                "-device vfio-pci,host=" + GPU_AUDIO + ",bus=iommufx-rp1,addr=00.1");
    }

    /** A plan the kernel would refuse (a bridge to vfio-pci: EINVAL) gives no configuration, only the reason. */
    @Test
    void anInfeasiblePlanGivesNoConfiguration() throws Exception {
        Kernel k = Machines.boot("t2-pcibridge.json");
        Plan plan = PassthroughPlanner.plan(k, List.of("0000:01:00.0"));
        for (PlanOutput o : List.of(PlanOutput.LIBVIRT, PlanOutput.PROXMOX, PlanOutput.QEMU)) {
            String text = o.render(plan, PlanOutput.Options.NONE);
            assertThat(text).as(o.key()).contains("CANNOT BE CARRIED OUT", "EINVAL").doesNotContain("<hostdev")
                    .doesNotContain("qm set").doesNotContain("-device");
        }
    }
}

package dev.iommufx.model.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which command line turns the IOMMU off (the rules in {@link KernelCommandLine#iommuTurnedOffBy()}, from
 * intel_iommu_setup(), parse_amd_iommu_options() and x86's iommu_setup()): {@code off} among the comma-separated
 * values, the last {@code intel_iommu=} deciding, and {@code iommu=off} whatever follows it.
 */
class KernelCommandLineTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "BOOT_IMAGE=/vmlinuz ro quiet intel_iommu=off | intel_iommu=off",
        "ro amd_iommu=off | amd_iommu=off",
        "ro intel_iommu=on,sm_off | ",
        "ro intel_iommu=on,igfx_off | ",
        "ro intel_iommu=on,off | intel_iommu=on,off",
        "ro intel_iommu=off intel_iommu=on | ",
        "ro iommu=pt | ",
        "ro iommu=off | iommu=off",
        "ro iommu=off iommu=pt | iommu=off",
        "ro \"intel_iommu=off\" | intel_iommu=off",
        "ro | "})
    void theOptionThatTurnsTheIommuOff(String cmdline, String expected) {
        assertThat(KernelCommandLine.parse(cmdline).iommuTurnedOffBy()).isEqualTo(expected);
    }
}

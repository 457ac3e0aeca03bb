package dev.iommufx.ui.viewmodel;

/** One line of the inspector: a field of the selection under the kernel's name for it ("owner_cnt" = "1"). */
public record InspectorRow(String category, String name, String value) {
}

package dev.iommufx.engine;

/**
 * Who controls a group's DMA, for colouring. Derived from {@code owner}, {@code owner_cnt} and the attached
 * domain exactly as kernel-model §1.5 classifies groups; the model's extra cases map as follows:
 * <ul>
 *   <li>ND (6.1, no default domain): unclaimed → {@link #DEFAULT_DOMAIN} when no kernel driver counts,
 *       {@link #DMA_API_OWNED} when one does (platform DMA ops); claimed → BLOCKED / USER_CLAIMED as usual.</li>
 *   <li>KX(N) (a kernel driver moved the group to its private domain) → {@link #DMA_API_OWNED}: the kernel
 *       controls the group's DMA, and siblings' DMA-API binds and user claims are refused.</li>
 *   <li>UD (v7 series only: claimed, and detached to no domain at all, §7a, §7c) → {@link #USER_CLAIMED}: nothing
 *       blocks its DMA.</li>
 * </ul>
 */
public enum GroupState {
    /** No owner; the group is on its default domain (U0), or on platform DMA ops without one (ND). */
    DEFAULT_DOMAIN,
    /** {@code owner_cnt > 0} from kernel drivers using the DMA API (K(N)), or a kernel-private domain (KX). */
    DMA_API_OWNED,
    /** User-claimed and on the blocking domain: no DMA at all until the user attaches a domain (UB). */
    BLOCKED,
    /** User-claimed with the user's unmanaged domain attached (UU). */
    USER_CLAIMED;

    /** Classifies a group (kernel-model §1.5 {@code classify()}). */
    public static GroupState of(IommuGroup g) {
        if (g.owner() != null) {
            return g.domain() != null && g.domain() == g.blockingDomain() ? BLOCKED : USER_CLAIMED;
        }
        if (g.defaultDomain() != null && g.domain() != g.defaultDomain()) {
            return DMA_API_OWNED;
        }
        return g.ownerCount() == 0 ? DEFAULT_DOMAIN : DMA_API_OWNED;
    }

    /** The kernel model's shorthand: U0, K(2), UB, UU, ND, KX(1); UD for the v7 series' claimed-and-detached group. */
    public static String code(IommuGroup g) {
        if (g.owner() != null) {
            if (g.domain() == null) {
                return "UD";
            }
            return g.domain() == g.blockingDomain() ? "UB" : "UU";
        }
        if (g.defaultDomain() == null) {
            return g.ownerCount() == 0 ? "ND" : "ND, K(" + g.ownerCount() + ")";
        }
        if (g.domain() != g.defaultDomain()) {
            return "KX(" + g.ownerCount() + ")";
        }
        return g.ownerCount() == 0 ? "U0" : "K(" + g.ownerCount() + ")";
    }

    /** Words for people: "DMA-API owned". */
    public String label() {
        return switch (this) {
            case DEFAULT_DOMAIN -> "default domain";
            case DMA_API_OWNED -> "DMA-API owned";
            case BLOCKED -> "blocked";
            case USER_CLAIMED -> "user-claimed";
        };
    }
}

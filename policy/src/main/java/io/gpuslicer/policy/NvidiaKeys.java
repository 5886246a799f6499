package io.gpuslicer.policy;

/**
 * NVIDIA's label and resource names, read exactly as the GPU Operator, device plugin,
 * GPU feature discovery and mig-manager write them.
 */
public final class NvidiaKeys {
    public static final String GPU = "nvidia.com/gpu";
    /** A replica when the device plugin renames shared resources ({@code renameByDefault: true}). */
    public static final String GPU_SHARED = "nvidia.com/gpu.shared";
    /** Prefix of a MIG device resource under the {@code mixed} strategy, e.g. {@code nvidia.com/mig-3g.40gb}. */
    public static final String MIG_RESOURCE_PREFIX = "nvidia.com/mig-";

    public static final String GPU_PRODUCT = "nvidia.com/gpu.product";
    public static final String GPU_COUNT = "nvidia.com/gpu.count";
    public static final String GPU_MEMORY = "nvidia.com/gpu.memory";
    public static final String GPU_REPLICAS = "nvidia.com/gpu.replicas";
    public static final String SHARING_STRATEGY = "nvidia.com/gpu.sharing-strategy";
    public static final String MIG_STRATEGY = "nvidia.com/mig.strategy";
    public static final String MIG_CONFIG = "nvidia.com/mig.config";
    public static final String MIG_CONFIG_STATE = "nvidia.com/mig.config.state";
    public static final String MIG_CONFIG_STATE_SUCCESS = "success";

    private NvidiaKeys() {
    }

    /** The resource name of one MIG device of {@code profile} under the mixed strategy. */
    public static String migResource(String profile) {
        return MIG_RESOURCE_PREFIX + profile;
    }

    /** The GFD node label that counts MIG devices of {@code profile} (mixed strategy). */
    public static String migCountLabel(String profile) {
        return MIG_RESOURCE_PREFIX + profile + ".count";
    }

    /** True for every resource name through which a pod can ask for a GPU or a share of one. */
    public static boolean isGpuResource(String resourceName) {
        return GPU.equals(resourceName)
                || GPU_SHARED.equals(resourceName)
                || (resourceName.startsWith(MIG_RESOURCE_PREFIX) && resourceName.length() > MIG_RESOURCE_PREFIX.length());
    }

    /** The MIG profile of a mixed-strategy resource name, or null when it is not one. */
    public static String migProfileOf(String resourceName) {
        if (!resourceName.startsWith(MIG_RESOURCE_PREFIX) || resourceName.length() == MIG_RESOURCE_PREFIX.length()) {
            return null;
        }
        return resourceName.substring(MIG_RESOURCE_PREFIX.length());
    }
}

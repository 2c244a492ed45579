package org.prefopt.backends.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import org.prefopt.api.bench.MatmulBenchmark;
import org.prefopt.api.model.Backend;
import org.prefopt.api.model.BackendInfo;

/**
 * DJL's PyTorch engine on one device. Owns the root NDManager that policies allocate under. The engine (native
 * libtorch) is loaded here, lazily, when the backend is created; CPU natives come from the
 * {@code pytorch-native-cpu} jar on the class path (offline with {@code -Dai.djl.offline=true}).
 *
 * <p>CUDA: put DJL's CUDA flavour of the natives on the class path (or let DJL download them by not setting
 * {@code ai.djl.offline}) and set {@code device = cuda:0}.
 */
public final class DjlBackend implements Backend, DjlCompute, MatmulBenchmark {

    public static final String ENGINE = "PyTorch";

    private final Device device;
    private final DataType dtype;
    private final int threads;
    private final NDManager manager;

    public DjlBackend(String deviceSpec, String dtypeName, int threads) {
        this(deviceSpec, dtypeName, threads, false);
    }

    /** @param tf32 the {@code backend.tf32} option, checked against the environment (see {@link Tf32}) */
    public DjlBackend(String deviceSpec, String dtypeName, int threads, boolean tf32) {
        String mismatch = Tf32.mismatch(tf32, System.getenv(Tf32.VARIABLE));
        if (mismatch != null) {
            throw new IllegalArgumentException(mismatch);
        }
        if (threads > 0) {
            // read by PtEngine when it first loads; set before touching the engine
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
        Engine engine = Engine.getEngine(ENGINE);
        if (threads > 0) {
            JniUtils.setNumThreads(threads);
        }
        this.device = resolveDevice(engine, deviceSpec);
        this.dtype = parseDtype(dtypeName);
        if (dtype == DataType.FLOAT16 && Device.Type.CPU.equals(device.getDeviceType())) {
            System.getLogger(DjlBackend.class.getName()).log(System.Logger.Level.WARNING, "backend.dtype = float16"
                    + " on the CPU: libtorch emulates float16 there, slower than float32 (meant for tests); use"
                    + " float32 on the CPU, float16 on CUDA");
        }
        this.threads = JniUtils.getNumThreads();
        this.manager = NDManager.newBaseManager(device, ENGINE);
    }

    static Device resolveDevice(Engine engine, String spec) {
        if (spec == null || spec.equals("auto")) {
            return engine.getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
        }
        if (spec.equals("cpu")) {
            return Device.cpu();
        }
        if (spec.startsWith("cuda")) {
            int id = spec.contains(":") ? Integer.parseInt(spec.substring(spec.indexOf(':') + 1)) : 0;
            if (id >= engine.getGpuCount()) {
                throw new IllegalArgumentException("device " + spec + " requested but PyTorch sees "
                        + engine.getGpuCount() + " GPU(s); install DJL's CUDA natives or use device = cpu");
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException("unknown device '" + spec + "' (use cpu, cuda:N or auto)");
    }

    static DataType parseDtype(String name) {
        return switch (name) {
            case "float32" -> DataType.FLOAT32;
            case "float16" -> DataType.FLOAT16;
            case "bfloat16" -> throw new IllegalArgumentException("dtype bfloat16 is not available: DJL 0.36's "
                    + "PyTorch binding cannot create bfloat16 tensors; use float32, or float16 on CUDA "
                    + "(bfloat16 checkpoints are read and widened exactly to the chosen dtype)");
            default -> throw new IllegalArgumentException("unknown dtype '" + name + "' (use float32 or float16)");
        };
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public DataType dtype() {
        return dtype;
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public BackendInfo info() {
        return new BackendInfo(ENGINE, Engine.getEngine(ENGINE).getVersion(), device.toString(),
                dtype == DataType.FLOAT32 ? "float32" : "float16", threads);
    }

    @Override
    public void seed(long seed) {
        JniUtils.setSeed(seed);
    }

    @Override
    public double measureMatmulFlops(int n, int repeats) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager m = manager.newSubManager()) {
            NDArray a = m.randomNormal(0, 1, new Shape(n, n), DataType.FLOAT32).toType(dtype, false);
            NDArray b = m.randomNormal(0, 1, new Shape(n, n), DataType.FLOAT32).toType(dtype, false);
            a.matMul(b).toFloatArray(); // warm-up (and sync)
            long start = System.nanoTime();
            NDArray last = null;
            for (int i = 0; i < repeats; i++) {
                if (last != null) {
                    last.close();
                }
                last = a.matMul(b);
            }
            last.get(0, 0).toType(DataType.FLOAT32, false).getFloat(); // waits for queued GPU work
            double seconds = (System.nanoTime() - start) / 1e9;
            return 2.0 * n * n * (double) n * repeats / seconds;
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}

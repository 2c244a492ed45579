package org.prefopt.api.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wraps a {@link Config} in a {@link Proxy} that records which option paths a component reads, so that the
 * contract test can tell which defaults in {@code reference.conf} are never looked at. {@code Config} is an
 * interface, so a dynamic proxy sees every call without depending on Typesafe's implementation classes.
 *
 * <p>Reading a value ({@code getInt("a.b")}, {@code getValue}, {@code getObject}, ...) covers that path and
 * everything under it. {@code getConfig("lora")} covers nothing by itself: it returns another recording proxy
 * whose reads are recorded under {@code lora}. {@code root()} and {@code entrySet()} cover the whole section,
 * since a component iterating over all of them does consume every key.
 */
public final class RecordingConfig {

    private static final String ALL = "";

    private final Set<String> read = ConcurrentHashMap.newKeySet();

    /** Returns a proxy over {@code config} whose reads are recorded in this instance. */
    public Config wrap(Config config) {
        return wrap(config, List.of());
    }

    /** Paths read so far, relative to the wrapped config; {@code ""} means "everything". */
    public Set<String> readPaths() {
        return Set.copyOf(read);
    }

    /** Whether {@code path} (a path expression) was read directly or as part of a read of an enclosing path. */
    public boolean covers(String path) {
        if (read.contains(ALL)) {
            return true;
        }
        List<String> target = ConfigUtil.splitPath(path);
        for (String r : read) {
            List<String> segments = ConfigUtil.splitPath(r);
            if (segments.size() <= target.size() && target.subList(0, segments.size()).equals(segments)) {
                return true;
            }
        }
        return false;
    }

    private Config wrap(Config config, List<String> prefix) {
        InvocationHandler handler = new Handler(config, prefix);
        return (Config) Proxy.newProxyInstance(Config.class.getClassLoader(), new Class<?>[] {Config.class}, handler);
    }

    private void record(List<String> prefix, String path) {
        List<String> full = new ArrayList<>(prefix);
        if (path != null) {
            full.addAll(ConfigUtil.splitPath(path));
        }
        read.add(full.isEmpty() ? ALL : ConfigUtil.joinPath(full));
    }

    private final class Handler implements InvocationHandler {
        private final Config target;
        private final List<String> prefix;

        Handler(Config target, List<String> prefix) {
            this.target = target;
            this.prefix = prefix;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (method.getDeclaringClass() == Object.class) {
                return switch (name) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "RecordingConfig(" + target + ")";
                };
            }
            String path = firstString(args);
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            switch (name) {
                case "getConfig":
                    return wrap((Config) result, append(prefix, path));
                case "withFallback", "resolve", "resolveWith", "withOnlyPath", "withoutPath", "withValue":
                    // Same shape as before: keep recording reads of the derived config under the same prefix.
                    return wrap((Config) result, prefix);
                case "atPath", "atKey", "origin", "isEmpty", "isResolved", "checkValid", "toString":
                    return result;
                case "root", "entrySet":
                    record(prefix, null);
                    return result;
                default:
                    if (path != null && (name.startsWith("get") || name.startsWith("has"))) {
                        record(prefix, path);
                    }
                    return result;
            }
        }
    }

    private static List<String> append(List<String> prefix, String path) {
        List<String> out = new ArrayList<>(prefix);
        out.addAll(ConfigUtil.splitPath(path));
        return List.copyOf(out);
    }

    private static String firstString(Object[] args) {
        if (args != null) {
            for (Object a : args) {
                if (a instanceof String s) {
                    return s;
                }
            }
        }
        return null;
    }
}

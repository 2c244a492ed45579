package org.prefopt.backends.tokenizer.jinja;

import java.beans.FeatureDescriptor;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELException;
import jinjava.javax.el.ELResolver;

/**
 * Resolves what Python objects offer and Jinjava's resolvers lack, before they see it: {@code str} method
 * calls ({@link PyStrings}), string indexing {@code s[0]}/{@code s[-1]}, and {@code dict.get(key, default)}.
 * Everything else is left unresolved so the next resolver in the chain handles it.
 */
final class PyMethodResolver extends ELResolver {

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (base instanceof String && method instanceof String && PyStrings.handles((String) method)) {
            try {
                Object result = PyStrings.call((String) base, (String) method, params);
                context.setPropertyResolved(true);
                return result;
            } catch (IllegalArgumentException e) {
                throw new ELException(e.getMessage(), e);
            }
        }
        if (base instanceof Map<?, ?> && "get".equals(method) && params != null && params.length == 2) {
            context.setPropertyResolved(true);
            Map<?, ?> map = (Map<?, ?>) base;
            return map.containsKey(params[0]) ? map.get(params[0]) : params[1];
        }
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return Collections.emptyIterator();
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        // Jinjava hands bracket indices over as strings ("0", "-1").
        if (base instanceof String && (property instanceof Number
                || property instanceof String && ((String) property).matches("-?\\d{1,9}"))) {
            String s = (String) base;
            int i = property instanceof Number ? ((Number) property).intValue() : Integer.parseInt((String) property);
            int at = i < 0 ? i + s.length() : i;
            if (at < 0 || at >= s.length()) {
                throw new ELException("string index " + i + " out of range for a string of length " + s.length());
            }
            context.setPropertyResolved(true);
            return String.valueOf(s.charAt(at));
        }
        return null;
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return false;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        // not resolved here: the next resolver in the chain sets it
    }
}

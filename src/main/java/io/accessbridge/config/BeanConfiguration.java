package io.accessbridge.config;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;

/**
 * Base of the bridge's {@code @BindToRegistry} configuration classes: each bean is made once,
 * whether Camel binds it first or another bean asks for it first (the binding order is not
 * fixed), and beans of other configuration classes are looked up in the registry.
 */
public abstract class BeanConfiguration implements CamelConfiguration, CamelContextAware {

    private final Map<String, Object> beans = new HashMap<>();
    private CamelContext context;

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.context = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    /** The bridge's settings. */
    protected BridgeProperties properties() {
        return new BridgeProperties(context);
    }

    /** The bean {@code name}, made by {@code make} the first time it is asked for. */
    @SuppressWarnings("unchecked")
    protected <T> T once(String name, Supplier<T> make) {
        synchronized (beans) {
            Object bean = beans.get(name);
            if (bean == null) {
                bean = make.get();
                beans.put(name, bean);
            }
            return (T) bean;
        }
    }

    /** The bean {@code name} if it was made, else {@code null}. */
    protected Object made(String name) {
        synchronized (beans) {
            return beans.get(name);
        }
    }

    /** A bean bound by another configuration class. */
    protected <T> T lookup(String name, Class<T> type) {
        T bean = getCamelContext().getRegistry().lookupByNameAndType(name, type);
        if (bean == null) {
            throw new IllegalStateException("bean " + name + " is not bound");
        }
        return bean;
    }
}

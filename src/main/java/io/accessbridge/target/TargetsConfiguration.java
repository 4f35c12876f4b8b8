package io.accessbridge.target;

import io.accessbridge.config.BeanConfiguration;
import io.accessbridge.broker.BrokerSettings;
import io.accessbridge.inventory.DeviceInventory;
import io.accessbridge.target.csv.CsvAttendanceFile;
import io.accessbridge.target.csv.CsvSettings;
import io.accessbridge.target.erpnext.ErpNextCheckins;
import io.accessbridge.target.erpnext.ErpNextSettings;
import io.accessbridge.target.http.HttpJsonTarget;
import io.accessbridge.target.http.JsonTemplates;
import io.accessbridge.target.odoo.CamelOdooTransport;
import io.accessbridge.target.odoo.OdooAttendance;
import io.accessbridge.target.odoo.OdooRpc;
import io.accessbridge.target.odoo.OdooSettings;
import io.accessbridge.target.webhook.WebhookDelivery;
import io.accessbridge.target.webhook.WebhookSettings;
import io.accessbridge.target.webhook.WebhookSigner;
import jakarta.jms.ConnectionFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.component.mustache.MustacheComponent;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.PluginHelper;

/**
 * The delivery targets' beans, bound for the {@code routes/forward-*.camel.yaml} routes, and the target
 * queues created at start. Targets are listed by {@code bridge.targets}; each is switched on with
 * {@code bridge.target.<name>.enabled=true}, and an enabled target missing a required setting stops start-up.
 */
public class TargetsConfiguration extends BeanConfiguration {

    /** The targets the bridge ships routes for. */
    public static final List<String> BUILT_IN = List.of("erpnext", "odoo", "http", "csv", "webhook", "webhook-alarms");

    private final Clock clock = Clock.systemUTC();

    private Settings settings() {
        return Settings.of(properties());
    }

    /** The names of all targets, {@code bridge.targets}. */
    public List<String> targetNames() {
        return settings().list("bridge.targets", String.join(",", BUILT_IN));
    }

    /** The settings of every target in {@code bridge.targets}. */
    public List<TargetSettings> targets() {
        Settings s = settings();
        List<TargetSettings> out = new ArrayList<>();
        for (String name : targetNames()) {
            out.add(TargetSettings.from(s, name));
        }
        return out;
    }

    /** Per-target delivered / skipped / failed / retrying / dead-lettered counts. */
    @BindToRegistry("targetStats")
    public TargetStats targetStats() {
        return once("targetStats", TargetStats::new);
    }

    /** Retry, give-up and dead-letter decisions of the delivery routes. */
    @BindToRegistry("deliveryPolicy")
    public DeliveryPolicy deliveryPolicy() {
        Settings s = settings();
        return once("deliveryPolicy", () -> new DeliveryPolicy(name -> TargetSettings.from(s, name), targetStats(),
                clock, new Random()));
    }

    /** Event-kind patterns of route filters. */
    @BindToRegistry("eventKinds")
    public EventKinds eventKinds() {
        return new EventKinds();
    }

    /** Which events are attendance punches, whose, when and where (HR/ERP targets). */
    @BindToRegistry("attendancePunches")
    public AttendancePunches attendancePunches() {
        DeviceInventory inventory = lookup("deviceInventory", DeviceInventory.class);
        return new AttendancePunches(AttendanceSettings.from(settings()), inventory::device);
    }

    /** ERPNext Employee Checkin mapping and answer check. */
    @BindToRegistry("erpnextCheckins")
    public ErpNextCheckins erpnextCheckins() {
        return new ErpNextCheckins(ErpNextSettings.from(settings()), clock);
    }

    /** Odoo hr.attendance check-ins and check-outs over JSON-RPC. */
    @BindToRegistry("odooAttendance")
    public OdooAttendance odooAttendance() {
        OdooSettings odoo = OdooSettings.from(settings());
        return new OdooAttendance(new OdooRpc(new CamelOdooTransport(getCamelContext(), clock), odoo), odoo);
    }

    /** The daily CSV attendance file. */
    @BindToRegistry("csvAttendance")
    public CsvAttendanceFile csvAttendance() {
        CsvSettings csv = CsvSettings.from(settings());
        return new CsvAttendanceFile(csv.dir(), csv.rotationZone(), clock);
    }

    /** Steps of the generic HTTP JSON target. */
    @BindToRegistry("httpJsonTarget")
    public HttpJsonTarget httpJsonTarget() {
        return new HttpJsonTarget(clock);
    }

    /** The {@code json-template:} component: Mustache templates with JSON-escaped values. */
    @BindToRegistry("json-template")
    public MustacheComponent jsonTemplate() {
        return JsonTemplates.component();
    }

    /** Signing and answer check of the webhook target. */
    @BindToRegistry("webhookDelivery")
    public WebhookDelivery webhookDelivery() {
        return webhook(WebhookSettings.from(settings(), "webhook", "*"));
    }

    /** Signing and answer check of the alarm webhook target. */
    @BindToRegistry("webhookAlarmsDelivery")
    public WebhookDelivery webhookAlarmsDelivery() {
        return webhook(WebhookSettings.from(settings(), "webhook-alarms", "alarm.*"));
    }

    private WebhookDelivery webhook(WebhookSettings w) {
        return new WebhookDelivery(w.secrets().isEmpty() ? null : new WebhookSigner(w.secrets()), clock);
    }

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        List<TargetSettings> targets = targets();
        Settings s = settings();
        for (TargetSettings t : targets) {
            if (t.enabled()) {
                checkRequired(s, t.name());
            }
        }
        BrokerSettings broker = lookup("brokerSettings", BrokerSettings.class);
        camelContext.addService(new TargetTopology(broker, targets), true, true);
        camelContext.addService(new JmsPoolCloser(lookup("jmsConnectionFactory", ConnectionFactory.class)), true, true);
        camelContext.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextInitializing(CamelContext c) {
                checkRouteFiles(c);
            }
        });
    }

    /** Runs {@link RouteFileCheck} over the route files, once every bean is bound and before routes are built. */
    static void checkRouteFiles(CamelContext c) {
        String pattern = c.getPropertiesComponent().resolveProperty("camel.main.routes-include-pattern").orElse("");
        Set<String> known = PluginHelper.getComponentNameResolver(c).resolveNames(c);
        RouteFileCheck check = new RouteFileCheck(key -> c.getPropertiesComponent().resolveProperty(key),
                name -> c.getRegistry().lookupByName(name),
                scheme -> known.contains(scheme) || c.getRegistry().lookupByName(scheme) instanceof Component);
        try {
            check.verify(RouteFileCheck.files(pattern));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the route files", e);
        }
    }

    private static void checkRequired(Settings s, String name) {
        String why = "when target " + name + " is enabled";
        switch (name) {
            case "erpnext" -> {
                s.required("bridge.target.erpnext.url", why);
                s.required("bridge.target.erpnext.api-key", why);
                s.required("bridge.target.erpnext.secret", why);
            }
            case "odoo" -> {
                s.required("bridge.target.odoo.url", why);
                s.required("bridge.target.odoo.db", why);
                s.required("bridge.target.odoo.login", why);
                s.required("bridge.target.odoo.api-key", why);
            }
            case "http" -> {
                s.required("bridge.target.http.url", why);
                String template = s.required("bridge.target.http.template", why);
                if (!Files.isReadable(Path.of(template))) {
                    throw new IllegalStateException("setting bridge.target.http.template: file " + template
                            + " cannot be read");
                }
            }
            case "webhook", "webhook-alarms" -> {
                s.required("bridge.target." + name + ".url", why);
                new WebhookSigner(List.of(s.required("bridge.target." + name + ".secret", why).split("[,\\s]+")));
            }
            default -> {
            }
        }
    }
}

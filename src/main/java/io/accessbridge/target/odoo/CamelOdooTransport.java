package io.accessbridge.target.odoo;

import io.accessbridge.target.HttpResponses;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Sends Odoo JSON-RPC requests through the route {@code direct:odoo-jsonrpc} of
 * {@code routes/forward-odoo.camel.yaml}, which holds the endpoint; a non-2xx answer fails like any HTTP target.
 */
public final class CamelOdooTransport implements OdooRpc.Transport {

    /** The route that makes one call. */
    public static final String ENDPOINT = "direct:odoo-jsonrpc";

    private final CamelContext context;
    private final Clock clock;
    private volatile ProducerTemplate template;

    /** Calls through a producer template of {@code context}, made on first use. */
    public CamelOdooTransport(CamelContext context, Clock clock) {
        this.context = context;
        this.clock = clock;
    }

    @Override
    public String post(String json) throws Exception {
        if (template == null) {
            synchronized (this) {
                if (template == null) {
                    template = context.createProducerTemplate();
                }
            }
        }
        Exchange answer = template.send(ENDPOINT, e -> e.getIn().setBody(json.getBytes(StandardCharsets.UTF_8)));
        if (answer.getException() != null) {
            throw answer.getException();
        }
        HttpResponses.check(answer.getMessage(), clock);
        return HttpResponses.body(answer.getMessage());
    }
}

package io.accessbridge.target.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accessbridge.target.DeliveryException;
import io.accessbridge.target.HttpResponses;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Odoo's external JSON-RPC API: {@code common.authenticate} once for the user id, then
 * {@code object.execute_kw(db, uid, key, model, method, args, kwargs)}. An Odoo error answer becomes an
 * {@link OdooException}; refused credentials are retried later (someone fixes the key), nothing else here
 * decides about retries.
 */
public final class OdooRpc {

    /** Sends one JSON-RPC request body and returns the answer body; non-2xx answers throw. */
    @FunctionalInterface
    public interface Transport {
        String post(String json) throws Exception;
    }

    /** An error Odoo answered, e.g. {@code odoo.exceptions.ValidationError}. */
    public static final class OdooException extends RuntimeException {
        private final String name;
        private final String odooMessage;

        OdooException(String name, String odooMessage) {
            super("odoo error " + name, null, false, false);
            this.name = name;
            this.odooMessage = odooMessage;
        }

        /** The exception's Python name, e.g. {@code odoo.exceptions.ValidationError}. */
        public String name() {
            return name;
        }

        /** Odoo's message (may name the employee: never log it). */
        public String odooMessage() {
            return odooMessage;
        }

        /** Whether it is one of Odoo's validation (constraint) errors. */
        public boolean isValidation() {
            return name != null && name.endsWith("ValidationError");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Transport transport;
    private final OdooSettings settings;
    private final AtomicLong ids = new AtomicLong();
    private volatile Integer uid;

    /** Calls Odoo through {@code transport} as the user of {@code settings}. */
    public OdooRpc(Transport transport, OdooSettings settings) {
        this.transport = transport;
        this.settings = settings;
    }

    /** {@code execute_kw} of {@code method} on {@code model}; the JSON result. */
    public JsonNode execute(String model, String method, List<?> args, Map<String, ?> kwargs) {
        int user = uid();
        try {
            return call("object", "execute_kw", List.of(settings.db(), user, settings.apiKey(), model, method, args,
                    kwargs));
        } catch (OdooException e) {
            if (e.name() != null && e.name().endsWith("AccessDenied")) {
                uid = null;
                throw DeliveryException.retryable("odoo-access-denied", null);
            }
            throw e;
        }
    }

    private int uid() {
        Integer u = uid;
        if (u == null) {
            JsonNode result = call("common", "authenticate", List.of(settings.db(), settings.login(), settings.apiKey(),
                    Map.of()));
            if (!result.isInt()) {
                throw DeliveryException.retryable("odoo-login-refused", null);
            }
            u = result.asInt();
            uid = u;
        }
        return u;
    }

    private JsonNode call(String service, String method, List<?> args) {
        ObjectNode request = JSON.createObjectNode();
        request.put("jsonrpc", "2.0").put("method", "call").put("id", ids.incrementAndGet());
        ObjectNode params = request.putObject("params");
        params.put("service", service).put("method", method);
        params.set("args", JSON.valueToTree(args));
        String answer;
        try {
            answer = transport.post(request.toString());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw DeliveryException.retryable("unreachable-" + e.getClass().getSimpleName(), e.getMessage());
        }
        JsonNode response;
        try {
            response = JSON.readTree(answer);
        } catch (IOException e) {
            throw DeliveryException.retryable("odoo-bad-answer", HttpResponses.abbreviate(answer));
        }
        JsonNode error = response.get("error");
        if (error != null && !error.isNull()) {
            JsonNode data = error.path("data");
            throw new OdooException(data.path("name").asText(null),
                    data.hasNonNull("message") ? data.get("message").asText() : error.path("message").asText());
        }
        return response.path("result");
    }

    /** A one-condition domain {@code [[field, op, value]]} plus more conditions, for searches. */
    static ArrayNode domain(Object[]... conditions) {
        ArrayNode d = JSON.createArrayNode();
        for (Object[] c : conditions) {
            d.add(JSON.valueToTree(List.of(c)));
        }
        return d;
    }
}

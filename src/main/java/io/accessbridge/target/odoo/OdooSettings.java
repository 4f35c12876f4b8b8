package io.accessbridge.target.odoo;

import io.accessbridge.target.Settings;
import java.util.Locale;

/**
 * Odoo {@code hr.attendance} target over the external JSON-RPC API ({@code <url>/jsonrpc}).
 *
 * @param db            database name ({@code bridge.target.odoo.db})
 * @param login         login of the integration user ({@code bridge.target.odoo.login})
 * @param apiKey        its API key or password ({@code bridge.target.odoo.api-key})
 * @param employeeField the {@code hr.employee} field holding the employee code the bridge sends
 *                      ({@code bridge.target.odoo.employee-field}, default {@code barcode}, the badge id)
 * @param onConflict    what happens to a punch Odoo's attendance rules refuse ({@code bridge.target.odoo.on-conflict})
 */
public record OdooSettings(String db, String login, String apiKey, String employeeField, OnConflict onConflict) {

    /** What happens to a punch that contradicts the employee's attendances in Odoo. */
    public enum OnConflict {
        /** Dead-lettered with Odoo's reason, for someone to correct the attendances and replay it (default). */
        DEAD_LETTER,
        /** Dropped, counted as skipped and logged. */
        SKIP
    }

    /** Reads {@code bridge.target.odoo.*}. */
    public static OdooSettings from(Settings s) {
        String conflict = s.string("bridge.target.odoo.on-conflict", "DEAD_LETTER").toUpperCase(Locale.ROOT)
                .replace('-', '_');
        OnConflict policy;
        try {
            policy = OnConflict.valueOf(conflict);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("setting bridge.target.odoo.on-conflict must be DEAD_LETTER or SKIP");
        }
        return new OdooSettings(s.string("bridge.target.odoo.db", ""), s.string("bridge.target.odoo.login", ""),
                s.string("bridge.target.odoo.api-key", ""), s.string("bridge.target.odoo.employee-field", "barcode"),
                policy);
    }
}

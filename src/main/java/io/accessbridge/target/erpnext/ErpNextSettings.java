package io.accessbridge.target.erpnext;

import io.accessbridge.target.Settings;

/**
 * ERPNext / Frappe HRMS Employee Checkin target. The URL and the API key and secret are used by
 * {@code routes/forward-erpnext.camel.yaml} as placeholders; they are read here only to check them at start.
 *
 * @param url               the site's base URL ({@code bridge.target.erpnext.url}, e.g. {@code https://erp.example.com})
 * @param employeeFieldname the Employee field holding the employee code the bridge sends
 *                          ({@code bridge.target.erpnext.employee-fieldname}, default {@code attendance_device_id})
 * @param apiKeySet         whether {@code bridge.target.erpnext.api-key} and {@code secret} are set
 *                          (token authentication, {@code Authorization: token <key>:<secret>})
 */
public record ErpNextSettings(String url, String employeeFieldname, boolean apiKeySet) {

    /** Reads {@code bridge.target.erpnext.*}. */
    public static ErpNextSettings from(Settings s) {
        return new ErpNextSettings(
                s.string("bridge.target.erpnext.url", "http://localhost:8000"),
                s.string("bridge.target.erpnext.employee-fieldname", "attendance_device_id"),
                s.optional("bridge.target.erpnext.api-key").isPresent()
                        && s.optional("bridge.target.erpnext.secret").isPresent());
    }
}

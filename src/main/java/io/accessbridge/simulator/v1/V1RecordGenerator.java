package io.accessbridge.simulator.v1;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Generates realistic v1 device records as raw vendor JSON, in every shape the specs show:
 * <ul>
 *   <li>{@link Variant#FW000}: type 0 per spec 000 ({@code recognitionType}, int {@code user_id},
 *       {@code bodyTemperature}, no {@code uuid});</li>
 *   <li>{@link Variant#FW001}: type 0 per spec 001 ({@code recognizeStatus}, {@code livenessScore},
 *       int {@code user_id}, no {@code uuid}, no temperature);</li>
 *   <li>{@link Variant#FW002}: type 0 per specs 002/003 ({@code uuid}, {@code entry_mode},
 *       {@code abnormal_type}, full {@code user} with string {@code user_id} and {@code groups});</li>
 *   <li>{@link Variant#ALARM}: type 1 device alarm per spec 002 (no {@code deviceSN}); a raised
 *       alarm is later followed by its clearing, with the same {@code trace_id}.</li>
 * </ul>
 * Most recognitions are granted employees; visitors, strangers, non-live faces, blacklisted
 * people and denials carry a matching {@code recognitionType}, {@code pass} and
 * {@code abnormal_type}. With a seed the output is deterministic, including timestamps when
 * {@link Options#startEpochMillis()} is set. Instances are not thread-safe.
 */
public final class V1RecordGenerator {

    /** The record shapes of the v1 specs. */
    public enum Variant {
        /** Spec 000: {@code recognitionType}, {@code bodyTemperature}, int {@code user_id}. */
        FW000,
        /** Spec 001: {@code recognizeStatus}, {@code livenessScore}, int {@code user_id}. */
        FW001,
        /** Specs 002/003: {@code uuid}, {@code entry_mode}, {@code abnormal_type}, full user. */
        FW002,
        /** Spec 002 type 1: device alarm. */
        ALARM
    }

    /**
     * Relative weights of the variants; they need not sum to 1.
     *
     * @param fw000 weight of {@link Variant#FW000}
     * @param fw001 weight of {@link Variant#FW001}
     * @param fw002 weight of {@link Variant#FW002}
     * @param alarm weight of {@link Variant#ALARM}
     */
    public record Mix(double fw000, double fw001, double fw002, double alarm) {

        /** Validates that weights are non-negative and not all zero. */
        public Mix {
            if (fw000 < 0 || fw001 < 0 || fw002 < 0 || alarm < 0 || fw000 + fw001 + fw002 + alarm <= 0) {
                throw new IllegalArgumentException("mix weights must be >= 0 and not all 0");
            }
        }

        /** The default: mostly the richest (002) shape, some older firmware, a few alarms. */
        public static Mix defaults() {
            return new Mix(0.1, 0.1, 0.75, 0.05);
        }

        /** Only the given variant. */
        public static Mix only(Variant v) {
            return new Mix(v == Variant.FW000 ? 1 : 0, v == Variant.FW001 ? 1 : 0,
                    v == Variant.FW002 ? 1 : 0, v == Variant.ALARM ? 1 : 0);
        }

        /** Parses {@code fw000:0.1,fw001:0.1,fw002:0.7,alarm:0.1}; absent variants weigh 0. */
        public static Mix parse(String text) {
            Map<Variant, Double> w = new EnumMap<>(Variant.class);
            for (String part : text.split(",")) {
                String[] kv = part.trim().split("[:=]");
                if (kv.length != 2) {
                    throw new IllegalArgumentException("mix entry must be variant:weight");
                }
                w.put(Variant.valueOf(kv[0].trim().toUpperCase(Locale.ROOT)), Double.parseDouble(kv[1].trim()));
            }
            return new Mix(w.getOrDefault(Variant.FW000, 0.0), w.getOrDefault(Variant.FW001, 0.0),
                    w.getOrDefault(Variant.FW002, 0.0), w.getOrDefault(Variant.ALARM, 0.0));
        }

        double weight(Variant v) {
            return switch (v) {
                case FW000 -> fw000;
                case FW001 -> fw001;
                case FW002 -> fw002;
                case ALARM -> alarm;
            };
        }
    }

    /**
     * Generator options.
     *
     * @param seed               random seed; {@code null} for a random one
     * @param mix                variant weights
     * @param imageProbability   probability that {@code rgb_image} (and {@code alarm_photo}) is a
     *                           base64 JPEG; otherwise it is {@code " "} or empty, half each
     * @param imageBytes         approximate size of a generated JPEG in bytes (before base64)
     * @param startEpochMillis   {@code null} to stamp records with the wall clock; otherwise a
     *                           synthetic clock starting here and advancing a few seconds per
     *                           record, which makes the output fully deterministic
     * @param employees          number of enrolled employees
     * @param visitors           number of enrolled visitors
     * @param clockOffset        how far the device clock is off (negative: behind); added to the wall clock or
     *                           the synthetic clock for every time the device writes ({@code timestamp},
     *                           {@code event_time}, {@code guest_time_*}, alarm trace ids)
     */
    public record Options(Long seed, Mix mix, double imageProbability, int imageBytes,
                          Long startEpochMillis, int employees, int visitors, Duration clockOffset) {

        /** Validates the options. */
        public Options {
            Objects.requireNonNull(mix, "mix");
            Objects.requireNonNull(clockOffset, "clockOffset");
            if (imageProbability < 0 || imageProbability > 1 || imageBytes < 16 || employees < 1 || visitors < 1) {
                throw new IllegalArgumentException("invalid generator options");
            }
        }

        /** Random seed, default mix, 30 % images of ~600 bytes, wall clock, 200 employees, 20 visitors. */
        public static Options defaults() {
            return new Options(null, Mix.defaults(), 0.3, 600, null, 200, 20, Duration.ZERO);
        }

        /** With the given seed. */
        public Options withSeed(Long s) {
            return new Options(s, mix, imageProbability, imageBytes, startEpochMillis, employees, visitors,
                    clockOffset);
        }

        /** With the given variant mix. */
        public Options withMix(Mix m) {
            return new Options(seed, m, imageProbability, imageBytes, startEpochMillis, employees, visitors,
                    clockOffset);
        }

        /** With the given image probability. */
        public Options withImageProbability(double p) {
            return new Options(seed, mix, p, imageBytes, startEpochMillis, employees, visitors, clockOffset);
        }

        /** With the given image size. */
        public Options withImageBytes(int bytes) {
            return new Options(seed, mix, imageProbability, bytes, startEpochMillis, employees, visitors, clockOffset);
        }

        /** With a synthetic clock starting at the given instant (ms). */
        public Options withStartEpochMillis(Long ms) {
            return new Options(seed, mix, imageProbability, imageBytes, ms, employees, visitors, clockOffset);
        }

        /** With the device clock off by {@code offset} (negative: behind), e.g. years, as a misconfigured device's. */
        public Options withClockOffset(Duration offset) {
            return new Options(seed, mix, imageProbability, imageBytes, startEpochMillis, employees, visitors, offset);
        }

        /** With the given population. */
        public Options withPopulation(int employeeCount, int visitorCount) {
            return new Options(seed, mix, imageProbability, imageBytes, startEpochMillis, employeeCount, visitorCount,
                    clockOffset);
        }
    }

    /** What happened at the terminal; drives every field that must agree with the others. */
    private enum Outcome {
        EMPLOYEE_GRANTED(780, 1, true, 0),
        VISITOR_GRANTED(50, 2, true, 0),
        VISITOR_EXPIRED(15, 2, false, 20001),
        STRANGER(50, 3, false, 0),
        NOT_LIVE(20, 4, false, 0),
        BLACKLIST(10, 5, false, 0),
        OUTSIDE_TIME(20, 1, false, 20002),
        ID_MISMATCH(5, 1, false, 10001),
        CARD_MISMATCH(10, 1, false, 10002),
        QR_MISMATCH(3, 1, false, 10003),
        INVALID_ID_CARD(3, 3, false, 30001),
        INVALID_IC_CARD(10, 3, false, 30002),
        INVALID_QR(5, 3, false, 30003),
        FEVER(10, 1, false, 40001),
        WRONG_PIN(7, 1, false, 70001),
        TOO_MANY_PINS(2, 1, false, 70002);

        final int weight;
        final int recognitionType;
        final boolean pass;
        final int abnormalType;

        Outcome(int weight, int recognitionType, boolean pass, int abnormalType) {
            this.weight = weight;
            this.recognitionType = recognitionType;
            this.pass = pass;
            this.abnormalType = abnormalType;
        }

        boolean knownPerson() {
            return recognitionType == 1 || recognitionType == 2 || recognitionType == 5;
        }
    }

    private record Group(String id, String name) {
    }

    private record Person(int id, int type, String name, String icNumber, String jobNumber, String idNumber,
                          String pin, String remark, List<Group> groups) {
    }

    private record OpenAlarm(String traceId, int code, boolean failedOnce) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
        "胡", "朱", "高", "林", "何", "郭", "马", "罗"};
    private static final String[] GIVEN = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰",
        "娟", "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "子涵", "浩然"};
    private static final String[] LATIN = {"Alex", "Maria", "Chen Wei", "J. Smith", "Q", "Priya", "Tom", "Lena"};
    private static final Group[] GROUPS = {new Group("1", "研发部"), new Group("2", "行政部"), new Group("3", "测试3"),
        new Group("4", "测试4"), new Group("5", "生产部"), new Group("6", "访客组"), new Group("7", "保安")};
    private static final String[] REMARKS = {"", "", "", "", "临时卡", "外包", "实习", "contractor"};
    private static final int[] ALARM_CODES = {10001, 10002, 10003, 10004, 20003};
    private static final int[] ALARM_WEIGHTS = {20, 30, 35, 10, 5};
    private static final String[] ALARM_TEXT = {"拆机告警", "强制开门告警", "门磁超时告警", "密码攻击告警", "消防告警"};
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final Options options;
    private final SplittableRandom rng;
    private final List<Person> employees = new ArrayList<>();
    private final List<Person> visitors = new ArrayList<>();
    private final List<Person> blacklist = new ArrayList<>();
    private final List<OpenAlarm> openAlarms = new ArrayList<>();
    private final int outcomeTotal;
    private long syntheticClock;
    private int alarmSeq;

    /** A generator with the given options. */
    public V1RecordGenerator(Options options) {
        this.options = Objects.requireNonNull(options, "options");
        this.rng = options.seed() == null ? new SplittableRandom() : new SplittableRandom(options.seed());
        this.syntheticClock = options.startEpochMillis() == null ? 0 : options.startEpochMillis();
        int total = 0;
        for (Outcome o : Outcome.values()) {
            total += o.weight;
        }
        this.outcomeTotal = total;
        for (int i = 1; i <= options.employees(); i++) {
            employees.add(person(i, 1));
        }
        for (int i = 1; i <= options.visitors(); i++) {
            visitors.add(person(options.employees() + i, 2));
        }
        int black = Math.max(1, options.employees() / 50);
        for (int i = 1; i <= black; i++) {
            blacklist.add(person(options.employees() + options.visitors() + i, 5));
        }
    }

    /** A generator with default options and the given seed. */
    public static V1RecordGenerator seeded(long seed) {
        return new V1RecordGenerator(Options.defaults().withSeed(seed));
    }

    /** The options in use. */
    public Options options() {
        return options;
    }

    /** The next record for the device, of a variant drawn from the mix. */
    public V1Record next(String deviceSN) {
        return next(deviceSN, pickVariant());
    }

    /** The next record for the device, of the given variant (alarms ignore the serial number). */
    public V1Record next(String deviceSN, Variant variant) {
        long now = advanceClock();
        return switch (variant) {
            case FW000 -> wrap(variant, V1Record.TYPE_RECOGNITION, recognition000(deviceSN, pickOutcome(), now), null);
            case FW001 -> wrap(variant, V1Record.TYPE_RECOGNITION, recognition001(deviceSN, pickOutcome(), now), null);
            case FW002 -> {
                ObjectNode d = recognition002(deviceSN, pickOutcome(), now);
                yield wrap(variant, V1Record.TYPE_RECOGNITION, d, d.get("uuid").asText());
            }
            case ALARM -> {
                ObjectNode d = alarm(now);
                yield wrap(variant, V1Record.TYPE_ALARM, d, d.get("trace_id").asText() + ":" + d.get("status").asInt());
            }
        };
    }

    /** Serializes a record envelope {@code {"type":..,"data":..}}. */
    public static String envelope(int type, ObjectNode data) {
        ObjectNode env = NODES.objectNode();
        env.put("type", type);
        env.set("data", data);
        try {
            return MAPPER.writeValueAsString(env);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private V1Record wrap(Variant variant, int type, ObjectNode data, String key) {
        String json = envelope(type, data);
        if (key == null) {
            try {
                key = MAPPER.writeValueAsString(data);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new V1Record(variant, type, key, json, data);
    }

    private ObjectNode recognition000(String sn, Outcome o, long nowMs) {
        ObjectNode d = NODES.objectNode();
        d.put("recognitionType", o.recognitionType);
        d.put("deviceSN", sn);
        d.put("recognizeScore", score(o));
        d.put("mask", mask());
        d.put("rgb_image", image());
        d.put("pass", o.pass);
        d.put("mode", o.abnormalType == 10002 ? 3 : o.abnormalType == 10001 ? 6 : weighted(new int[] {0, 1, 2}, new int[] {70, 20, 10}));
        Person p = person(o);
        if (p != null) {
            ObjectNode u = d.putObject("user");
            u.put("name", p.name());
            u.put("user_id", p.id());
            u.put("type", p.type());
        }
        d.put("timestamp", nowMs / 1000);
        d.put("bodyTemperature", temperature(o));
        return d;
    }

    private ObjectNode recognition001(String sn, Outcome o, long nowMs) {
        ObjectNode d = NODES.objectNode();
        int status;
        if (rng.nextInt(200) == 0) {
            status = 0;
        } else {
            status = switch (o) {
                case EMPLOYEE_GRANTED, VISITOR_GRANTED -> weighted(new int[] {4, 5, 2}, new int[] {70, 25, 5});
                case STRANGER, INVALID_IC_CARD, INVALID_ID_CARD, INVALID_QR -> 3;
                case NOT_LIVE -> 1;
                default -> 6;
            };
        }
        boolean pass = status != 0 && o.pass;
        d.put("recognizeStatus", status);
        d.put("deviceSN", sn);
        d.put("recognizeScore", score(o));
        d.put("livenessScore", o == Outcome.NOT_LIVE ? f(0.05 + rng.nextDouble() * 0.4) : f(0.82 + rng.nextDouble() * 0.17));
        d.put("mask", mask());
        d.put("rgb_image", image());
        d.put("pass", pass);
        d.put("mode", weighted(new int[] {0, 1, 2, 3}, new int[] {70, 15, 10, 5}));
        Person p = status == 0 ? null : person(o);
        if (p != null) {
            ObjectNode u = d.putObject("user");
            u.put("name", p.name());
            u.put("user_id", p.id());
            u.put("type", p.type());
        }
        d.put("timestamp", nowMs / 1000);
        return d;
    }

    private ObjectNode recognition002(String sn, Outcome o, long nowMs) {
        ObjectNode d = NODES.objectNode();
        int entryMode = entryMode(o);
        d.put("deviceSN", sn);
        d.put("recognitionType", o.recognitionType);
        d.put("entry_mode", entryMode);
        d.put("abnormal_type", o.abnormalType);
        d.put("uuid", uuid());
        d.put("recognizeScore", score(o));
        d.put("mask", mask());
        d.put("mode", mode002(entryMode));
        d.put("rgb_image", image());
        d.put("bodyTemperature", temperature(o));
        d.put("pass", o.pass);
        d.put("timestamp", nowMs / 1000);
        Person p = person(o);
        if (p != null) {
            ObjectNode u = d.putObject("user");
            u.put("name", p.name());
            u.put("ic_number", p.icNumber());
            u.put("id_number", p.idNumber());
            u.put("job_number", p.jobNumber());
            u.put("pin", p.pin());
            u.put("user_id", Integer.toString(p.id()));
            u.put("remark", p.remark());
            long start = 0;
            long end = 0;
            if (p.type() == 2) {
                long minute = 60_000L;
                if (o == Outcome.VISITOR_EXPIRED) {
                    end = (nowMs / minute - 60L * (1 + rng.nextInt(72))) * minute;
                    start = end - 3_600_000L * (2 + rng.nextInt(22));
                } else {
                    start = (nowMs / minute - 60L * (1 + rng.nextInt(8))) * minute;
                    end = start + 3_600_000L * (9 + rng.nextInt(16));
                }
            }
            u.put("guest_time_start", start);
            u.put("guest_time_end", end);
            u.put("type", p.type());
            ArrayNode groups = u.putArray("groups");
            for (Group g : p.groups()) {
                groups.addObject().put("id", g.id()).put("name", g.name());
            }
        } else if (o == Outcome.STRANGER && rng.nextBoolean()) {
            ObjectNode u = d.putObject("user");
            u.put("name", "");
            u.put("user_id", "");
            u.put("type", 0);
        }
        return d;
    }

    private ObjectNode alarm(long nowMs) {
        ObjectNode d = NODES.objectNode();
        if (!openAlarms.isEmpty() && rng.nextInt(100) < 40) {
            OpenAlarm open = openAlarms.remove(rng.nextInt(openAlarms.size()));
            int status = !open.failedOnce() && rng.nextInt(100) < 15 ? 2 : 3;
            if (status == 2) {
                openAlarms.add(new OpenAlarm(open.traceId(), open.code(), true));
            }
            d.put("trace_id", open.traceId());
            description(d, open.code());
            if (rng.nextInt(100) < 70) {
                d.put("code", open.code());
            }
            d.put("event_time", nowMs);
            d.put("status", status);
            return d;
        }
        int code = weighted(ALARM_CODES, ALARM_WEIGHTS);
        String traceId = "SPX-" + nowMs + "-" + String.format(Locale.ROOT, "%03d", ++alarmSeq % 1000) + "-" + alnum(6);
        openAlarms.add(new OpenAlarm(traceId, code, false));
        if (openAlarms.size() > 50) {
            openAlarms.remove(0);
        }
        d.put("trace_id", traceId);
        description(d, code);
        d.put("code", code);
        d.put("event_time", nowMs);
        d.put("status", 1);
        if (code == 10004 || rng.nextInt(100) < 5) {
            d.put("user_id", (long) (1 + rng.nextInt(options.employees())));
        }
        int photo = rng.nextInt(100);
        if (photo < 30) {
            d.put("alarm_photo", jpegBase64());
        } else if (photo < 70) {
            d.put("alarm_photo", " ");
        }
        return d;
    }

    private void description(ObjectNode d, int code) {
        int r = rng.nextInt(100);
        if (r < 40) {
            for (int i = 0; i < ALARM_CODES.length; i++) {
                if (ALARM_CODES[i] == code) {
                    d.put("description", ALARM_TEXT[i]);
                }
            }
        } else if (r < 70) {
            d.put("description", " ");
        }
    }

    private Person person(Outcome o) {
        return switch (o) {
            case STRANGER, NOT_LIVE, INVALID_IC_CARD, INVALID_QR, INVALID_ID_CARD -> null;
            case VISITOR_GRANTED, VISITOR_EXPIRED -> visitors.get(rng.nextInt(visitors.size()));
            case BLACKLIST -> blacklist.get(rng.nextInt(blacklist.size()));
            default -> employees.get(rng.nextInt(employees.size()));
        };
    }

    private Person person(int id, int type) {
        String name = rng.nextInt(100) < 85
                ? SURNAMES[rng.nextInt(SURNAMES.length)] + GIVEN[rng.nextInt(GIVEN.length)]
                : LATIN[rng.nextInt(LATIN.length)];
        String ic = rng.nextInt(100) < 70 ? Long.toString(10_000_000L + rng.nextLong(4_000_000_000L)) : "";
        String job = type == 1 && rng.nextInt(100) < 80 ? String.format(Locale.ROOT, "%05d", 10000 + id) : "";
        int idr = rng.nextInt(100);
        String idNumber = idr < 50 ? "" : idr < 90 ? encryptedLooking() : fakeIdNumber();
        String pin = rng.nextInt(100) < 25 ? String.format(Locale.ROOT, "%06d", rng.nextInt(1_000_000)) : "";
        List<Group> groups = new ArrayList<>();
        if (type == 2) {
            groups.add(GROUPS[5]);
        } else {
            int n = rng.nextInt(3);
            for (int i = 0; i < n; i++) {
                Group g = GROUPS[rng.nextInt(GROUPS.length)];
                if (!groups.contains(g)) {
                    groups.add(g);
                }
            }
        }
        return new Person(id, type, name, ic, job, idNumber, pin, REMARKS[rng.nextInt(REMARKS.length)],
                List.copyOf(groups));
    }

    private Variant pickVariant() {
        Mix m = options.mix();
        double total = m.fw000() + m.fw001() + m.fw002() + m.alarm();
        double r = rng.nextDouble() * total;
        for (Variant v : Variant.values()) {
            r -= m.weight(v);
            if (r < 0) {
                return v;
            }
        }
        return Variant.FW002;
    }

    private Outcome pickOutcome() {
        int r = rng.nextInt(outcomeTotal);
        for (Outcome o : Outcome.values()) {
            r -= o.weight;
            if (r < 0) {
                return o;
            }
        }
        return Outcome.EMPLOYEE_GRANTED;
    }

    private int entryMode(Outcome o) {
        return switch (o) {
            case ID_MISMATCH -> 6;
            case CARD_MISMATCH -> 4;
            case QR_MISMATCH, INVALID_QR -> 2;
            case INVALID_ID_CARD -> 5;
            case INVALID_IC_CARD -> 3;
            case WRONG_PIN, TOO_MANY_PINS -> weighted(new int[] {8, 9, 12}, new int[] {60, 30, 10});
            case STRANGER, NOT_LIVE, BLACKLIST, FEVER -> 1;
            case VISITOR_GRANTED, VISITOR_EXPIRED -> weighted(new int[] {1, 2}, new int[] {60, 40});
            default -> weighted(new int[] {1, 3, 4, 2, 8, 10, 7}, new int[] {75, 10, 5, 4, 3, 1, 2});
        };
    }

    private int mode002(int entryMode) {
        return switch (entryMode) {
            case 3, 4 -> weighted(new int[] {1, 2}, new int[] {60, 40});
            case 2 -> 3;
            case 5 -> 4;
            case 6 -> 6;
            case 8 -> 7;
            case 10 -> 8;
            case 9 -> 9;
            case 12 -> 3;
            default -> weighted(new int[] {0, 1, 3}, new int[] {60, 20, 20});
        };
    }

    private double score(Outcome o) {
        if (o.knownPerson() && o != Outcome.CARD_MISMATCH && o != Outcome.ID_MISMATCH) {
            return f(0.86 + rng.nextDouble() * 0.13);
        }
        if (o == Outcome.NOT_LIVE) {
            return f(0.5 + rng.nextDouble() * 0.45);
        }
        return f(0.2 + rng.nextDouble() * 0.5);
    }

    private double temperature(Outcome o) {
        if (o == Outcome.FEVER) {
            return f(37.4 + rng.nextDouble() * 1.6);
        }
        return rng.nextInt(100) < 40 ? 0.0 : f(36.1 + rng.nextDouble() * 1.0);
    }

    private int mask() {
        return weighted(new int[] {0, 1, 2}, new int[] {60, 25, 15});
    }

    private String image() {
        if (rng.nextDouble() < options.imageProbability()) {
            return jpegBase64();
        }
        return rng.nextBoolean() ? " " : "";
    }

    /** A base64 string that decodes to something shaped like a JPEG (SOI, JFIF APP0, data, EOI). */
    private String jpegBase64() {
        int size = Math.max(32, options.imageBytes() / 2 + rng.nextInt(options.imageBytes()));
        byte[] b = new byte[size];
        byte[] head = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00,
            0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00};
        System.arraycopy(head, 0, b, 0, head.length);
        for (int i = head.length; i < size - 2; i++) {
            b[i] = (byte) rng.nextInt(256);
        }
        b[size - 2] = (byte) 0xFF;
        b[size - 1] = (byte) 0xD9;
        return Base64.getEncoder().encodeToString(b);
    }

    private String encryptedLooking() {
        byte[] b = new byte[8];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) rng.nextInt(256);
        }
        return Base64.getEncoder().encodeToString(b);
    }

    private String fakeIdNumber() {
        StringBuilder s = new StringBuilder("990000");
        s.append(1960 + rng.nextInt(45));
        s.append(String.format(Locale.ROOT, "%02d%02d", 1 + rng.nextInt(12), 1 + rng.nextInt(28)));
        s.append(String.format(Locale.ROOT, "%03d", rng.nextInt(1000)));
        s.append(rng.nextInt(11) == 10 ? "X" : Integer.toString(rng.nextInt(10)));
        return s.toString();
    }

    private String uuid() {
        long msb = (rng.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (rng.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    private String alnum(int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append(ALNUM.charAt(rng.nextInt(ALNUM.length())));
        }
        return s.toString();
    }

    private int weighted(int[] values, int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int r = rng.nextInt(total);
        for (int i = 0; i < values.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }

    private long advanceClock() {
        if (options.startEpochMillis() == null) {
            return System.currentTimeMillis() + options.clockOffset().toMillis();
        }
        syntheticClock += 500 + rng.nextInt(30_000);
        return syntheticClock + options.clockOffset().toMillis();
    }

    /** Rounds through {@code float}, as the devices' float fields look on the wire. */
    private static double f(double v) {
        return (float) v;
    }
}

package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class PreferencesTests {

    private static Preferences of(Object... typeThenMute) {
        List<Preferences.Rule> rules = new ArrayList<>();
        for (int i = 0; i < typeThenMute.length; i += 2) {
            rules.add(new Preferences.Rule((String) typeThenMute[i], (Boolean) typeThenMute[i + 1]));
        }
        return new Preferences(rules);
    }

    @Test
    void nothingIsMutedWithoutRules() {
        assertThat(Preferences.NONE.mutes("order.shipped")).isFalse();
        assertThat(of("marketing.*", true).mutes("order.shipped")).isFalse();
    }

    @Test
    void theMostSpecificMatchingRuleWins() {
        Preferences prefs = of("*", true, "order.*", false, "order.refund.*", true, "order.refund.issued", false);
        assertThat(prefs.mutes("chat.message")).as("only * matches").isTrue();
        assertThat(prefs.mutes("order.shipped")).as("order.* beats *").isFalse();
        assertThat(prefs.mutes("order.refund.requested")).as("the longer prefix beats the shorter").isTrue();
        assertThat(prefs.mutes("order.refund.issued")).as("the exact type beats every prefix").isFalse();
    }

    @Test
    void aPrefixMatchesTypesUnderItNotTheTypeItself() {
        Preferences prefs = of("marketing.*", true);
        assertThat(prefs.mutes("marketing.promo")).isTrue();
        assertThat(prefs.mutes("marketing.promo.spring")).isTrue();
        assertThat(prefs.mutes("marketing")).isFalse();
        assertThat(prefs.mutes("marketingx.promo")).isFalse();
        assertThat(prefs.mutes("marketing_promo")).isFalse();
    }

    @Test
    void criticalBypassesEveryMute() {
        Preferences prefs = of("*", true);
        assertThat(prefs.suppresses("security.login", false)).isTrue();
        assertThat(prefs.suppresses("security.login", true)).isFalse();
    }

    /**
     * Property: whatever the order of the rules, the decision is that of the most specific rule
     * matching the type, found here by a different method (the longest match, exact first).
     */
    @Test
    void theDecisionDoesNotDependOnTheOrderOfTheRules() {
        Random random = new Random(17);
        String[] words = { "a", "b", "c" };
        for (int round = 0; round < 2_000; round++) {
            List<String> patterns = new ArrayList<>();
            List<Preferences.Rule> rules = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(8); i++) {
                String pattern = randomPattern(random, words);
                if (!patterns.contains(pattern)) {
                    patterns.add(pattern);
                    rules.add(new Preferences.Rule(pattern, random.nextBoolean()));
                }
            }
            String type = randomType(random, words);
            Boolean expected = expected(rules, type);
            List<Preferences.Rule> shuffled = new ArrayList<>(rules);
            Collections.shuffle(shuffled, random);
            assertThat(new Preferences(shuffled).mutes(type)).as("%s for %s", rules, type)
                    .isEqualTo(expected != null && expected);
            assertThat(new Preferences(rules).mutes(type)).isEqualTo(new Preferences(shuffled).mutes(type));
        }
    }

    private static Boolean expected(List<Preferences.Rule> rules, String type) {
        for (Preferences.Rule rule : rules) {
            if (rule.type().equals(type)) {
                return rule.mute();
            }
        }
        Preferences.Rule best = null;
        for (Preferences.Rule rule : rules) {
            String pattern = rule.type();
            if (pattern.endsWith(".*") && type.startsWith(pattern.substring(0, pattern.length() - 1))
                    && (best == null || best.type().equals("*") || pattern.length() > best.type().length())) {
                best = rule;
            }
            if (pattern.equals("*") && best == null) {
                best = rule;
            }
        }
        return best == null ? null : best.mute();
    }

    private static String randomType(Random random, String[] words) {
        StringBuilder type = new StringBuilder(words[random.nextInt(words.length)]);
        for (int i = 0; i < random.nextInt(3); i++) {
            type.append('.').append(words[random.nextInt(words.length)]);
        }
        return type.toString();
    }

    private static String randomPattern(Random random, String[] words) {
        return switch (random.nextInt(3)) {
            case 0 -> "*";
            case 1 -> randomType(random, words) + ".*";
            default -> randomType(random, words);
        };
    }

    @Test
    void readsWhatItWrites() {
        Preferences prefs = of("*", false, "marketing.*", true, "order.shipped", true);
        assertThat(Preferences.fromJson(prefs.toJson(), "", new ArrayList<>())).isEqualTo(prefs);
        assertThat(Preferences.fromJson(Preferences.NONE.toJson(), "", new ArrayList<>())).isEqualTo(Preferences.NONE);
    }

    @Test
    void namesEveryBadRule() {
        ObjectNode json = EnvelopeCodec.mapper().createObjectNode();
        ArrayNode rules = json.putArray("rules");
        rules.addObject().put("type", "order.shipped").put("mute", true);
        rules.addObject().put("type", "Order Shipped").put("mute", true);
        rules.addObject().put("type", "marketing.").put("mute", true);
        rules.addObject().put("type", "order.*.x").put("mute", true);
        rules.addObject().put("type", 5).put("mute", true);
        rules.addObject().put("type", "chat.*").put("mute", "yes");
        rules.addObject().put("mute", false);
        rules.add("order.shipped");
        rules.addObject().put("type", "order.shipped").put("mute", false);
        rules.addObject().put("type", "a.b").put("mute", true).put("until", "tomorrow");
        rules.addObject().put("type", "**").put("mute", true);
        List<FieldError> errors = new ArrayList<>();

        assertThat(Preferences.fromJson(json, "", errors)).isNull();
        assertThat(errors).extracting(FieldError::field).containsExactly("rules[1].type", "rules[2].type", "rules[3].type",
                "rules[4].type", "rules[5].mute", "rules[6].type", "rules[7]", "rules[8].type", "rules[9].until",
                "rules[10].type");
    }

    @Test
    void refusesMoreThanFiftyRulesNamingRules() {
        ObjectNode json = EnvelopeCodec.mapper().createObjectNode();
        ArrayNode rules = json.putArray("rules");
        for (int i = 0; i <= Preferences.MAX_RULES; i++) {
            rules.addObject().put("type", "t" + i).put("mute", true);
        }
        List<FieldError> errors = new ArrayList<>();
        assertThat(Preferences.fromJson(json, "", errors)).isNull();
        assertThat(errors).extracting(FieldError::field).containsExactly("rules");

        rules.remove(0);
        assertThat(Preferences.fromJson(json, "", errors = new ArrayList<>())).isNotNull();
        assertThat(errors).isEmpty();
    }

    @Test
    void refusesWhatIsNotASet() {
        List<FieldError> errors = new ArrayList<>();
        JsonNode array = EnvelopeCodec.mapper().createArrayNode();
        assertThat(Preferences.fromJson(array, "", errors)).isNull();
        assertThat(Preferences.fromJson(EnvelopeCodec.mapper().createObjectNode(), "", errors)).isNull();
        assertThat(Preferences.fromJson(EnvelopeCodec.mapper().createObjectNode().put("rules", "all"), "", errors)).isNull();
        assertThat(errors).extracting(FieldError::field).containsExactly("$", "rules", "rules");
    }

    @Test
    void aLongestAllowedPatternIsAccepted() {
        String type = "a".repeat(NotificationFields.MAX_TYPE_LENGTH - 2) + ".*";
        ObjectNode json = EnvelopeCodec.mapper().createObjectNode();
        json.putArray("rules").addObject().put("type", type).put("mute", true);
        List<FieldError> errors = new ArrayList<>();
        assertThat(Preferences.fromJson(json, "", errors)).isNotNull();
        json.withArray("rules").addObject().put("type", "b".repeat(NotificationFields.MAX_TYPE_LENGTH + 1)).put("mute", true);
        assertThat(Preferences.fromJson(json, "", errors)).isNull();
        assertThat(errors).extracting(FieldError::field).containsExactly("rules[1].type");
    }
}

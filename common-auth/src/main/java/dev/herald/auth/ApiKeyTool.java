package dev.herald.auth;

/**
 * The operator's command for API keys ({@code ./herald new-key}, {@code ./herald hash-key}):
 * {@code new} prints a fresh random key and the hash to configure; {@code hash <key>} prints the
 * hash of an existing key. Only the hash goes into configuration; the key goes to the caller.
 */
public final class ApiKeyTool {

    private ApiKeyTool() {
    }

    public static void main(String[] args) {
        if (args.length == 2 && args[0].equals("new")) {
            String key = ApiKeys.generate();
            System.out.println("API key (give it to the calling service; it is not stored anywhere):");
            System.out.println("  " + key);
            System.out.println("Configuration (every Herald service):");
            System.out.println("  herald.security.api-keys." + args[1] + ".hash=" + ApiKeys.hash(key));
            System.out.println("  herald.security.api-keys." + args[1] + ".scopes=send,tokens,read   # keep only what it needs");
        }
        else if (args.length == 2 && args[0].equals("hash")) {
            System.out.println(ApiKeys.hash(args[1]));
        }
        else {
            System.err.println("usage: new <name> | hash <key>");
            System.exit(2);
        }
    }
}

<?php

declare(strict_types=1);

namespace Herald;

/**
 * The HTML that puts a user's inbox on a page: the <herald-inbox> web component, which the store
 * serves at /sdk/herald-inbox.js, with the URLs it talks to and the user's token. Every attribute
 * value is escaped; the API key never appears in it.
 */
final class InboxSnippet
{
    /**
     * @param array<string, string|int|float|bool|null> $attributes more attributes for <herald-inbox>
     *        (true: present without a value; false or null: left out); they may not replace the three above
     */
    public static function render(string $storeUrl, string $gatewayUrl, string $token, array $attributes = [], ?string $scriptUrl = null): string
    {
        $storeUrl = rtrim($storeUrl, '/');
        $own = ['store-url' => $storeUrl, 'gateway-url' => rtrim($gatewayUrl, '/'), 'token' => $token];
        foreach ($attributes as $name => $value) {
            $name = (string) $name;
            if (!preg_match('/^[a-zA-Z_:][a-zA-Z0-9_:.-]*$/', $name)) {
                throw new \InvalidArgumentException("'$name' is not an HTML attribute name");
            }
            if (array_key_exists(strtolower($name), $own)) {
                throw new \InvalidArgumentException("'$name' is set by herald_inbox itself");
            }
        }
        $html = '<script type="module" src="' . self::escape($scriptUrl ?? $storeUrl . '/sdk/herald-inbox.js') . '"></script>'
            . '<herald-inbox';
        foreach ($own + $attributes as $name => $value) {
            if ($value === null || $value === false) {
                continue;
            }
            $html .= ' ' . $name . ($value === true ? '' : '="' . self::escape((string) $value) . '"');
        }
        return $html . '></herald-inbox>';
    }

    private static function escape(string $value): string
    {
        return htmlspecialchars($value, ENT_QUOTES | ENT_SUBSTITUTE | ENT_HTML5, 'UTF-8');
    }
}

<?php

declare(strict_types=1);

// helper('herald') loads this file (auto-discovered in the package's Herald\CodeIgniter namespace).

use Herald\CodeIgniter\Config\Herald;
use Herald\InboxSnippet;

if (!function_exists('herald_inbox')) {
    /**
     * The <herald-inbox> web component for a user, with a token minted for them just now: echo it
     * in a view. Without $userId, the signed-in user from the session (Config\Herald::$sessionUserKey);
     * with nobody signed in, an empty string.
     *
     * @param array<string, string|int|float|bool|null> $attrs more attributes for <herald-inbox>
     */
    function herald_inbox(?string $userId = null, array $attrs = []): string
    {
        /** @var Herald $config */
        $config = config(Herald::class);
        if ($userId === null) {
            $signedIn = session($config->sessionUserKey);
            if ($signedIn === null || $signedIn === '') {
                return '';
            }
            $userId = (string) $signedIn;
        }
        $channels = $config->tokenChannelPatterns();
        $token = service('herald')->mintToken($userId, $config->tokenTtl, $channels === [] ? null : $channels);
        return InboxSnippet::render($config->storeUrl, $config->gatewayUrl, $token['token'], $attrs);
    }
}

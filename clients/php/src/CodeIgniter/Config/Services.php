<?php

declare(strict_types=1);

namespace Herald\CodeIgniter\Config;

use CodeIgniter\Config\BaseService;
use Herald\HeraldClient;

/**
 * service('herald') and \Config\Services::herald(): found by CodeIgniter's auto-discovery of
 * Config/Services.php in Composer namespaces (Config\Modules: $discoverInComposer, 'services').
 */
class Services extends BaseService
{
    public static function herald(?Herald $config = null, bool $getShared = true): HeraldClient
    {
        if ($getShared) {
            return static::getSharedInstance('herald', $config);
        }
        $config ??= config(Herald::class);
        return new HeraldClient(
            $config->producerUrl,
            $config->apiKey,
            timeoutSeconds: $config->timeout,
            attempts: $config->attempts,
            storeUrl: $config->storeUrl,
        );
    }
}

<?php

declare(strict_types=1);

namespace Herald\CodeIgniter\Commands;

use CodeIgniter\CLI\BaseCommand;
use CodeIgniter\CLI\CLI;
use Herald\CodeIgniter\CommandSupport;
use Herald\HeraldException;

/**
 * php spark herald:token alice --ttl 600 --channels "system,order:*"
 * Prints {"token": …, "expiresAt": …}; a refusal goes to stderr with exit 1.
 */
class HeraldToken extends BaseCommand
{
    protected $group = 'Herald';
    protected $name = 'herald:token';
    protected $description = 'Mints a user token for the Herald browser SDK or <herald-inbox>.';
    protected $usage = 'herald:token <userId> [--ttl <seconds>] [--channels <patterns, comma-separated>]';
    protected $arguments = ['userId' => 'The user the token is for'];
    protected $options = [
        '--ttl' => 'Lifetime in seconds (default: Config\Herald::$tokenTtl)',
        '--channels' => 'Channel patterns the token grants, e.g. system,order:*',
    ];

    public function run(array $params)
    {
        $userId = CommandSupport::arguments($this->name, $params)[0] ?? null;
        if ($userId === null) {
            CLI::error('usage: php spark ' . $this->usage);
            return CommandSupport::exit(2);
        }
        $ttl = $params['ttl'] ?? CLI::getOption('ttl') ?? config(\Herald\CodeIgniter\Config\Herald::class)->tokenTtl;
        if (!is_numeric($ttl) || (int) $ttl != $ttl) {
            CLI::error('--ttl must be a whole number of seconds');
            return CommandSupport::exit(2);
        }
        $channels = $params['channels'] ?? CLI::getOption('channels');
        $patterns = is_string($channels) ? array_values(array_filter(array_map('trim', explode(',', $channels)), 'strlen')) : null;
        try {
            $token = service('herald')->mintToken((string) $userId, (int) $ttl, $patterns);
        } catch (HeraldException $e) {
            CLI::error("Herald refused ({$e->status}): {$e->getMessage()}");
            return CommandSupport::exit(1);
        }
        CLI::write(json_encode($token, JSON_UNESCAPED_SLASHES));
        return CommandSupport::exit(0);
    }
}

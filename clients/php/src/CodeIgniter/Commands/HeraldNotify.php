<?php

declare(strict_types=1);

namespace Herald\CodeIgniter\Commands;

use CodeIgniter\CLI\BaseCommand;
use CodeIgniter\CLI\CLI;
use Herald\CodeIgniter\CommandSupport;
use Herald\HeraldException;

/**
 * php spark herald:notify alice order.shipped "Your order shipped" "Order 42 is on its way" --data '{"orderId":42}' --key order-42-shipped
 * Prints Herald's answer as JSON (one entry per recipient); a refusal goes to stderr with exit 1.
 */
class HeraldNotify extends BaseCommand
{
    protected $group = 'Herald';
    protected $name = 'herald:notify';
    protected $description = 'Sends a notification to a user through Herald.';
    protected $usage = 'herald:notify <userId> <type> <title> [body] [--data <json object>] [--key <idempotency key>]';
    protected $arguments = [
        'userId' => 'The user to notify',
        'type' => 'The kind of notification, e.g. order.shipped',
        'title' => 'Its title (1-200 characters)',
        'body' => 'Its text (optional)',
    ];
    protected $options = [
        '--data' => 'A JSON object for the page, e.g. {"orderId":42}',
        '--key' => 'Idempotency-Key: the same key again is the same notification (default: a new one)',
    ];

    public function run(array $params)
    {
        $arguments = CommandSupport::arguments($this->name, $params);
        [$userId, $type, $title, $body] = $arguments + [null, null, null, ''];
        if ($userId === null || $type === null || $title === null) {
            CLI::error('usage: php spark ' . $this->usage);
            return CommandSupport::exit(2);
        }
        $data = null;
        $json = $params['data'] ?? CLI::getOption('data');
        if (is_string($json)) {
            $data = json_decode($json, true);
            if (!is_array($data) || array_is_list($data) && $data !== []) {
                CLI::error('--data must be a JSON object, e.g. {"orderId":42}');
                return CommandSupport::exit(2);
            }
        }
        $key = $params['key'] ?? CLI::getOption('key');
        try {
            $sent = service('herald')->notify((string) $userId, (string) $type, (string) $title, $body, $data, is_string($key) ? $key : null);
        } catch (HeraldException $e) {
            CLI::error("Herald refused ({$e->status}): {$e->getMessage()}");
            return CommandSupport::exit(1);
        }
        CLI::write(json_encode($sent, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE));
        return CommandSupport::exit(0);
    }
}

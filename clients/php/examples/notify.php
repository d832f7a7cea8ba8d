<?php
// Sends one notification and prints what Herald answered (JSON), or the refusal on stderr.
//   HERALD_PRODUCER_URL=http://localhost:8080 HERALD_API_KEY=… php notify.php alice "Your order shipped" [body]
declare(strict_types=1);

require __DIR__ . '/../autoload.php'; // or Composer's vendor/autoload.php

use Herald\HeraldClient;
use Herald\HeraldException;

[$script, $userId, $title] = $argv + [null, null, null];
if ($userId === null || $title === null) {
    fwrite(STDERR, "usage: php notify.php <userId> <title> [body]\n");
    exit(2);
}
$herald = new HeraldClient(getenv('HERALD_PRODUCER_URL') ?: 'http://localhost:8080', (string) getenv('HERALD_API_KEY'));
try {
    echo json_encode($herald->notify($userId, 'order.shipped', $title, $argv[3] ?? '', ['via' => 'php']), JSON_UNESCAPED_SLASHES), "\n";
} catch (HeraldException $e) {
    fwrite(STDERR, "Herald refused ({$e->status}): {$e->getMessage()}\n");
    exit(1);
}

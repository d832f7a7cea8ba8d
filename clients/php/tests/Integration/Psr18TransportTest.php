<?php

declare(strict_types=1);

namespace Herald\Tests\Integration;

use GuzzleHttp\Client;
use Herald\HeraldClient;
use Herald\RetryPolicy;
use Herald\Transport\Psr18Transport;
use Herald\TransportException;
use Herald\ValidationException;
use Nyholm\Psr7\Factory\Psr17Factory;

/** The PSR-18 transport with Guzzle and Nyholm's factories (Debian: php-guzzlehttp-guzzle, php-nyholm-psr7). */
final class Psr18TransportTest extends ServicesTestCase
{
    private const AUTOLOADERS = ['/usr/share/php/GuzzleHttp/autoload.php', '/usr/share/php/Nyholm/Psr7/autoload.php'];

    protected function setUp(): void
    {
        parent::setUp();
        foreach (self::AUTOLOADERS as $autoloader) {
            if (!is_file($autoloader)) {
                self::markTestSkipped("$autoloader is missing (Debian packages php-guzzlehttp-guzzle and php-nyholm-psr7)");
            }
            require_once $autoloader;
        }
    }

    private function client(string $producerUrl, ?RetryPolicy $retry = null): HeraldClient
    {
        $factory = new Psr17Factory();
        $transport = new Psr18Transport(new Client(['timeout' => 10, 'http_errors' => false]), $factory, $factory);
        return new HeraldClient($producerUrl, $this->apiKey, storeUrl: $this->storeUrl, transport: $transport, retryPolicy: $retry);
    }

    public function testSendsAndReadsThroughGuzzle(): void
    {
        $user = self::newUser();
        $client = $this->client($this->producerUrl);

        $sent = $client->notify($user, 'order.shipped', 'Through Guzzle', data: ['via' => 'psr-18']);

        $item = self::await(static function () use ($client, $user): ?array {
            $own = array_values(array_filter($client->notifications($user)['items'], static fn (array $i) => $i['channel'] === null));
            return $own[0] ?? null;
        }, "the notification of $user");
        self::assertSame([$sent[0]['eventId'], 'psr-18'], [$item['eventId'], $item['data']['via']]);
    }

    public function testARefusalIsTypedAsWithCurl(): void
    {
        try {
            $this->client($this->producerUrl)->notify(self::newUser(), 'Not A Type', 'x');
            self::fail('accepted a bad type');
        } catch (ValidationException $e) {
            self::assertArrayHasKey('type', $e->fieldErrors());
        }
    }

    public function testNoAnswerIsATransportException(): void
    {
        $closed = stream_socket_server('tcp://127.0.0.1:0');
        $address = stream_socket_get_name($closed, false);
        fclose($closed);

        $this->expectException(TransportException::class);
        $this->client('http://' . $address, RetryPolicy::none())->mintToken(self::newUser());
    }
}

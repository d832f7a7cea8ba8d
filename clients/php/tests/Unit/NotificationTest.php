<?php

declare(strict_types=1);

namespace Herald\Tests\Unit;

use Herald\Notification;
use PHPUnit\Framework\TestCase;

final class NotificationTest extends TestCase
{
    public function testOneUserIsSentAsUserIdAndAListAsRecipients(): void
    {
        self::assertSame(['userId' => 'alice', 'type' => 't', 'title' => 'x', 'body' => ''], (new Notification('alice', 't', 'x'))->toArray());
        self::assertSame(['recipients' => ['alice'], 'type' => 't', 'title' => 'x', 'body' => ''], (new Notification(['alice'], 't', 'x'))->toArray());
    }

    public function testItMakesOneEventPerDistinctRecipient(): void
    {
        self::assertSame(2, (new Notification(['bob', 'carol', 'bob'], 't', 'x'))->eventCount());
        self::assertSame(1, (new Notification('bob', 't', 'x'))->eventCount());
    }

    public function testTagsAreSentOnlyWhenGiven(): void
    {
        self::assertSame(['userId' => 'alice', 'type' => 'order.shipped', 'title' => 'x', 'body' => '', 'tags' => ['vip', 'eu-west']],
            (new Notification('alice', 'order.shipped', 'x', tags: ['vip', 'eu-west']))->toArray());
        self::assertArrayNotHasKey('tags', (new Notification('alice', 't', 'x', tags: []))->toArray());
    }

    public function testNoRecipientIsRefused(): void
    {
        $this->expectException(\InvalidArgumentException::class);
        new Notification([], 't', 'x');
    }
}

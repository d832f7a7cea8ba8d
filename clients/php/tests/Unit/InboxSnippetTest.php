<?php

declare(strict_types=1);

namespace Herald\Tests\Unit;

use Herald\InboxSnippet;
use PHPUnit\Framework\TestCase;

final class InboxSnippetTest extends TestCase
{
    public function testTheScriptAndTheElementWithTheUrlsAndTheToken(): void
    {
        self::assertSame(
            '<script type="module" src="http://store:8081/sdk/herald-inbox.js"></script>'
            . '<herald-inbox store-url="http://store:8081" gateway-url="http://gw:8082" token="eyJ.a.b"></herald-inbox>',
            InboxSnippet::render('http://store:8081/', 'http://gw:8082/', 'eyJ.a.b'),
        );
    }

    public function testEveryValueIsEscapedAndBooleanAttributesStandAlone(): void
    {
        $html = InboxSnippet::render('http://store/?a="b"&c', 'http://gw', '"><script>alert(1)</script>', [
            'data-title' => "O'Brien <b>&",
            'open' => true,
            'hidden' => false,
            'theme' => null,
            'limit' => 20,
        ]);

        self::assertStringContainsString('src="http://store/?a=&quot;b&quot;&amp;c/sdk/herald-inbox.js"', $html);
        self::assertStringContainsString('token="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"', $html);
        self::assertStringContainsString(' data-title="O&apos;Brien &lt;b&gt;&amp;" open limit="20"></herald-inbox>', $html);
        self::assertStringNotContainsString('hidden', $html);
        self::assertStringNotContainsString('theme', $html);
        self::assertSame(1, substr_count($html, '<script'));
    }

    public function testAnAttributeNameThatIsNotOneIsRefused(): void
    {
        $this->expectException(\InvalidArgumentException::class);
        InboxSnippet::render('http://s', 'http://g', 't', ['onload="x"' => 'y']);
    }

    public function testTheOwnAttributesCannotBeReplaced(): void
    {
        $this->expectException(\InvalidArgumentException::class);
        $this->expectExceptionMessage('set by herald_inbox itself');
        InboxSnippet::render('http://s', 'http://g', 't', ['Token' => 'stolen']);
    }
}

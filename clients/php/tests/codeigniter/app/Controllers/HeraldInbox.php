<?php

namespace App\Controllers;

/** The test pages: a user's inbox through the herald_inbox() view helper. */
class HeraldInbox extends BaseController
{
    /** The inbox of the user in the path. */
    public function show(string $userId): string
    {
        helper('herald');
        return view('herald_inbox', ['userId' => $userId]);
    }

    /** The inbox of the signed-in user; ?as=<user> signs one in (a stand-in for the app's login). */
    public function mine(): string
    {
        $as = $this->request->getGet('as');
        if (is_string($as) && $as !== '') {
            session()->set('user_id', $as);
        }
        helper('herald');
        return view('herald_inbox_mine');
    }
}

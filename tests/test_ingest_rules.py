"""The rules data file: loading, validation and the boilerplate patterns it holds."""

from __future__ import annotations

import re
from importlib import resources

import pytest
import yaml

from generator.ingest import load_rules
from generator.ingest.rules import RulesError, rules_from_mapping


def _data() -> dict:
    text = resources.files("generator.ingest").joinpath("rules.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def test_rules_load_once_into_frozen_compiled_form() -> None:
    rules = load_rules()
    assert load_rules() is rules
    assert all(isinstance(p, re.Pattern) for p in rules.byline)
    assert all(isinstance(p, re.Pattern) for _, ps in rules.boilerplate for p in ps)
    with pytest.raises(AttributeError):
        rules.stopwords = frozenset()  # type: ignore[misc]


def test_word_lists_survive_yaml_booleans() -> None:
    # "no", "on", "off" would be booleans in a YAML 1.1 list; the file keeps them as text.
    rules = load_rules()
    assert {"no", "on", "off", "the"} <= rules.stopwords
    assert {"we", "our", "you", "your"} <= rules.reader_words


def test_a_bad_pattern_is_reported_by_its_place_in_the_file() -> None:
    data = _data()
    data["boilerplate"]["share"] = ["(unclosed"]
    with pytest.raises(RulesError, match=r"boilerplate\.share\[0\]: bad regular expression"):
        rules_from_mapping(data)


def test_a_missing_section_is_reported() -> None:
    data = _data()
    del data["byline"]
    with pytest.raises(RulesError, match="missing section 'byline'"):
        rules_from_mapping(data)


def test_a_weekday_out_of_range_is_reported() -> None:
    data = _data()
    data["dates"]["weekdays"] = {"monday": 7}
    with pytest.raises(RulesError, match=r"^dates\.weekdays: expected a mapping of weekday name to 0 \(Monday\)\.\.6$"):
        rules_from_mapping(data)


def test_a_bad_list_of_jobs_is_reported() -> None:
    data = _data()
    data["byline"]["jobs"] = "editor"
    with pytest.raises(RulesError, match=r"^byline\.jobs: expected a list of words$"):
        rules_from_mapping(data)


def test_the_jobs_stand_in_every_byline_pattern_naming_them() -> None:
    data = _data()
    data["byline"]["jobs"] = ["harbourmaster"]
    rules = rules_from_mapping(data)
    assert rules.byline_job_line.match("Senior Harbourmaster")
    assert not rules.byline_job_line.match("Senior Reviews Editor")
    assert not any("{{jobs}}" in p.pattern for p in (*rules.byline, *rules.byline_after_names))


def test_unknown_classifier_setting_is_reported() -> None:
    data = _data()
    data["classify"]["length_lowest"] = 3
    with pytest.raises(RulesError, match="classify"):
        rules_from_mapping(data)


@pytest.mark.parametrize(("line", "kind"), [
    ("Support The Riverside Courier!", "donation"),
    ("Contribute today", "donation"),
    ("Dear readers,", "donation"),
    ("A Message from The Harbor Post:", "donation"),
    ("Not ready to support today?", "donation"),
    ("… we have a small favor to ask.", "donation"),
    ("Monthly", "widget"),
    ("paiment methods", "widget"),
    ("Continue", "widget"),
    ("Sign up for our morning newsletter", "newsletter"),
    ("Subscribers agree to the Privacy Policy", "newsletter"),
    ("Subscribe", "subscription"),
    ("Share on Facebook", "share"),
    ("Follow us on Instagram", "share"),
    ("Icon Facebook Icon Twitter Icon Email", "share"),
    ("We use cookies to improve your experience. By continuing you accept our cookie policy.", "cookie"),
    ("Accept all cookies", "cookie"),
    ("2 min read", "read_time"),
    ("3\u00a0Min read", "read_time"),
    ("Read more", "teaser_heading"),
    ("Related stories", "teaser_heading"),
    ("More from The Northfield Ledger", "teaser_heading"),
    ("You might also like", "teaser_heading"),
    ("Read also: Five things to know about the river", "inline_teaser"),
    ("On ledger.example: School board elects new chair", "inline_teaser"),
    ("ALSO READ | Drought map shows improvement in northern counties", "inline_teaser"),
    ("See also | Ferry fares to rise in spring", "inline_teaser"),
    ("You have 1 free article left this month. Subscribe now for unlimited access to all our journalism.",
     "subscription"),
    ("Stream KRVT 7 News 24/7 for free on Roku, Fire TV and Apple TV.", "share"),
    ("Advertisement", "advertisement"),
    ("Story continues below advertisement", "advertisement"),
    ("Remind me in a week", "reminder"),
    ("Leave a comment", "comments"),
    ("Comments (12)", "comments"),
    ("© 2023 The Riverside Courier. All rights reserved.", "copyright"),
    ("Copyright", "copyright"),
    ("Copyright © 2019 Harbour Media Inc. All rights reserved • Terms of Use", "copyright"),
    ("©All Rights Reserved Harbour Institute 2019", "copyright"),
    ("(c) 2024 Meridian Press", "copyright"),
    ("The Harbour Herald unless otherwise noted. All rights reserved. Privacy Policy", "copyright"),
    ("Skip to main content", "navigation"),
    ("[image-placeholder]", "media"),
    ("[Gulls circle the chip kiosk on the promenade at dusk]", "media"),  # alt text: no sentence end
    ("[Read more.]", "media"),  # a short label
    ("━━━━━━━━━━━━", "separator"),
    # General shapes that replaced one site's wording.
    ("Available for everyone, funded by readers", "donation"),
    ("If you value this reporting, please consider chipping in - from just £3 - to keep our newsroom going.",
     "donation"),
    ("If you value our reporting, please consider a contribution to help keep the Herald's newsroom going.",
     "donation"),
    ("Support us", "donation"),
    # Call-outs and follow lines below a story.
    ("Get in touch", "contact"),
    ("Have you been affected by the storm? You can share your pictures by emailing news@herald.example or via"
     " WhatsApp on 0800 555 0100.", "contact"),
    ("Send us a message on WhatsApp at 0800 555 0100 or email us at news@herald.example.", "contact"),
    ("Got a story for Harbour Briefs? Email briefs@herald.example by 5pm on Thursday.", "contact"),
    ("Follow The Herald on X and Instagram @HarbourHerald and on Facebook @HeraldHarbour. Send us a message on"
     " WhatsApp at 0800 555 0100.", "share"),
    ("Join the debate: comments are open for 48 hours.", "comments"),
    ("← Seed potatoes: chitting or not?", "navigation"),
    ("Previous post: Seed potatoes: chitting or not?", "navigation"),
    ("Image", "media"),
    ("1 of 8", "media"),  # a gallery's counter, as "Image 1 of 8"
    ("The views expressed in letters are those of the writers and not necessarily those of The Herald.",
     "disclaimer"),
    ("Market data provided by Nordquote. Delayed by 15 minutes.", "disclaimer"),
    ("Travel information is correct at the time of publishing and can change at short notice. Check before you"
     " travel.", "disclaimer"),
    ("Have your say in the comments below.", "comments"),
    ("Funded by our readers: join 12,000 members today", "donation"),
    ("Contribute Subscribe Contribute", "subscription"),
    ("Sign in | Subscribe", "subscription"),
    ("Switch to the Nordic edition", "navigation"),
    ("Current edition: International", "navigation"),
    ("More videos ...", "navigation"),
    ("Trending news", "teaser_heading"),
    ("Explore further", "teaser_heading"),
    ("More on this story", "teaser_heading"),
    ("Also on our site:", "teaser_heading"),
    ("Also on herald.example:", "teaser_heading"),
    ("Watch our latest videos:", "teaser_heading"),
    # Comment threads.
    ("13. C. M. says:", "comments"),
    ("oldsalt says:", "comments"),
    ("Leave a Reply", "comments"),
    ("Reply", "comments"),
    ("3 thoughts on “Why the pond froze”", "comments"),
    ("12 responses to Why the pond froze", "comments"),
    ("There are 3 comments on this article about the pond:", "comments"),
    ("Reader services can be reached with any questions: Telephone: *2421 Fax: 03-555-0199"
     " E-mail: help@herald.example. The desk answers on weekdays.", "contact"),
    # The author box below an article.
    ("Jane Doe is a reporter for the Harbour Herald covering the waterfront.", "author_bio"),
    ("Ola Berg joined the Herald in March 2017. She has been reporting on energy since 2009.", "author_bio"),
    # A column's disclaimer.
    ("The views expressed in this column are the author's own. To submit a letter, email the desk.", "disclaimer"),
    ("Opinions expressed by Harbour Herald contributors are their own.", "disclaimer"),
    ("The views expressed here do not necessarily reflect those of the Herald, but of the writer.", "disclaimer"),
    # A donation widget, a sign-up card, a paywall, a social and tip box, a link card.
    ("Support local journalism", "donation"),
    ("Local news matters. Support the Harbour Herald with a subscription today.", "donation"),
    ("Get traffic alerts for your route with the Harbour Herald app.", "share"),
    ("Buy prints of Herald photos at our online shop.", "share"),
    ("Log in or register to post comments", "comments"),
    ("Have a story for us? Email newsdesk@herald.example or message us on WhatsApp.", "contact"),
    ("If you value this work, please support us today.", "donation"),
    ("Choose an amount:", "widget"),
    ("Other", "widget"),
    ("If you enjoyed this post, please consider becoming a paid subscriber. It costs $5 a month.", "donation"),
    ("Sign up for Harbour Watch", "newsletter"),
    ("Thanks for reading The Ledger Letter! Subscribe for free to receive new posts and support my work.",
     "newsletter"),
    ("Hollis Notes is a reader-supported publication. To receive new posts and support my work, consider"
     " becoming a free or paid subscriber.", "newsletter"),
    ("Thanks for reading! If you enjoyed this post, forward it to a friend.", "newsletter"),
    ("You have 2 free articles remaining this month.", "subscription"),
    ("Keep reading with unlimited access", "subscription"),
    ("Unlimited digital access", "subscription"),
    ("This post may contain affiliate links. If you buy through them, we may earn a small commission.",
     "advertisement"),
    ("This story appears in Issue 42 of The Harbour Quarterly. Subscribe to get the print edition.",
     "subscription"),
    ("Download the KRVT 7 app for breaking news alerts and live coverage.", "share"),
    ("Stream KRVT 7 News for free on Roku, Fire TV and Apple TV.", "share"),
    ("Have a news tip or see an error in this story? Contact us.", "contact"),
    ("Have a news tip or story idea? Email us.", "contact"),
    ("Our Standards: The Thomson Reuters Trust Principles.", "contact"),
    ("No spam. Unsubscribe anytime.", "newsletter"),
    ("Click here to subscribe to our daily briefing.", "subscription"),
    ("Related coverage: Council delays vote on parking rules as residents demand answers about...",
     "inline_teaser"),
    ("If you enjoyed this article, and learned from it, we have an offer for you: Join HERALD+.", "subscription"),
    ("If you liked reading this story, become a member for $3 a month.", "subscription"),
    ("This article is for subscribers only. Subscribe now for just $1 a week to keep reading.", "subscription"),
    ("Follow Herald Riverside on Facebook, X and Instagram. Send your story ideas to desk@herald.example.",
     "share"),
    ("Have a news tip? Email us at tips@herald.example or call 555-0100.", "contact"),
    ("If you have concerns about the accuracy of this story or wish to report an error, please email"
     " corrections@herald.example.", "contact"),
    ("Spotted a mistake? Let us know using this form.", "contact"),
    ("Notice an error in this story? Please email corrections@herald.example.", "contact"),
    ("We strive for accuracy and fairness. If you see something that doesn't look right, click here to contact us!",
     "contact"),
    ("Did we get something wrong? Contact us at desk@herald.example.", "contact"),
    ("Ferry fares to rise by 10%Published 1 March", "inline_teaser"),
    ("We use your sign-up to provide content in ways you've consented to. You can unsubscribe at any time.",
     "newsletter"),  # a sign-up box's consent notice
    ("We will use your email address only to send you our newsletter. See our privacy notice.", "newsletter"),
    ("Sign up", "subscription"),
    ("Advertisement · Scroll to continue", "advertisement"),
    ("Is your ferry fleet ready for the new fuel rules? Download the free guide from Harbourline.", "advertisement"),
    ("Get your free trial of Harbour Pro today!", "advertisement"),
    ("Presented by HarbourSafe", "advertisement"),
    ("For a reprint of this article, please contact reprints@harbour.example.", "contact"),
    ("Support independent local news", "donation"),
    ("Like this story? Support student journalism at Ashgrove — donate to The Daily Quill.", "donation"),
    ("The Harbour Current is a nonprofit, member-supported newsroom. Become a member today for $5 a month.",
     "donation"),
    ("Have something to say? Send a letter to the editor at letters@herald.example. Letters should be short.",
     "contact"),
    ("Do you have a story? Email newsdesk@herald.example", "contact"),
    ("Have something to say?", "contact"),
    ("Send a letter to the editor of no more than 250 words to letters@herald.example. Include your town.", "contact"),
    ("Want more interviews like this? Join Harbour Plus for unlimited access.", "subscription"),
    ("Want more harbour coverage? Get our weekly tides bulletin.", "subscription"),
    ("Join Harbour Wire's Telegram channel and get the latest breaking news delivered to you.", "share"),
    ("Join the Herald's WhatsApp Channel and get the latest news and must-reads.", "share"),
    ("This summary was generated with AI and reviewed by an editor. Read more about how we use AI.", "disclaimer"),
    ("Was this summary helpful?", "comments"),
    ("The post Ferry fares to rise by 10% in April appeared first on Harbour Herald.", "publication_note"),
    ("BET NOW: Get £20 in free bets when you stake £5. New customers only. T&Cs apply.", "advertisement"),
    ("Get £20 in free bets when you stake £5 on the regatta. 18+. T&Cs apply.", "advertisement"),
    ("Subscribe to Harbour Notes Plus to read the rest.", "subscription"),
    ("Become a paying subscriber of Harbour Notes Plus to get access to this post and other subscriber-only content.",
     "subscription"),
    ("Upgrade", "subscription"),
    ("Already a paying subscriber? Sign In.", "subscription"),
    ("A subscription gets you: the full tide tables; early access to the pier survey.", "subscription"),
    ("Login or Subscribe to participate in polls.", "subscription"),
    ("What did you think of today's issue?", "subscription"),
    ("Get the latest news from Portsmouth here.", "inline_teaser"),
    ("READ: Ferry fares to rise again in spring", "inline_teaser"),
    ("Read: “We were never asked”: pier traders speak out", "inline_teaser"),
    ("The Ridge Observer is a nonprofit newsroom. Support independent journalism in the mountains.", "donation"),
    ("Have a claim you want us to check? Email tips@harbourcheck.example.", "contact"),
    ("Want to submit a guest commentary or reaction to an article we wrote? See our guidelines.", "contact"),
    ("If you have information about this story or any other, contact our newsroom at tips@herald.example.",
     "contact"),
    ("We're hiring! The Harbour Gazette is looking for a reporter.", "contact"),
    ("Was this article helpful?", "comments"),
    ("Thanks for reading Harbour Notes! This post is public so feel free to share it.", "newsletter"),
    ("Type your email...", "newsletter"),
    ("Get a monthly round-up of the harbour news you need, free to your inbox.", "newsletter"),
    ("You are receiving this because you subscribed to the Harbour Journal.", "newsletter"),
    ("+13", "media"),  # a gallery's count of more pictures
    ("View gallery", "media"),
    ("This article has been reviewed according to Harbour Science's editorial process and policies. Editors have"
     " highlighted the following attributes:", "disclaimer"),
    ("Letters should be sent to letters@gazette.example with a full postal address.", "contact"),
    ("Letters may be edited for length.", "contact"),
    ("Support independent local news. Become a supporter today.", "donation"),
    ("Did you make this recipe? Rate it and leave a comment below.", "comments"),
    ("Tomas Quill is a Local Democracy Reporter. Follow him on X @tquill", "author_bio"),
])
def test_boilerplate_kinds(line: str, kind: str) -> None:
    assert load_rules().boilerplate_kind(line) == kind


@pytest.mark.parametrize("line", [
    "Support for the new barrier grew after the floods.",
    "The newsletter of the teachers' union called the plan a mistake.",
    "Share prices fell sharply on Monday after the announcement.",
    "Continue reading the report, the minister told the committee.",
    "Related costs rose by a third, the auditors said.",
    "More than 40 people attended the meeting on Tuesday.",
    "The vote was unanimous.",
    "We are hiring more lifeguards for the summer, the council said.",
    "The minister asked whether the report was helpful.",
    "If you have information about the crash, call police on 101.",
    "If you have been affected by the issues in this story, you can call the Samaritans on 116 123.",
    "Follow the coast path on the map to find the cove.",
    "1 of 8 councillors voted against.",
    "The vicar asked parishioners to chip in for the church roof.",
    "Want to know more? The council has published the full report.",
    "Get the report and the minutes in your inbox, the clerk told residents, and read them there.",
    "The survey was funded by readers.",
    "The minister said:",
    "As Dr. Lund says:",
    "The edition sold out within an hour, the publisher said on Monday.",
    "Subscribers can read the full report online.",
    "This is despite local media reporting that the pier was closed.",
    "Anyone with information should call police at 555-0100 or e-mail tips@police.example.",
    "Also on the agenda:",
    "The mayor urged residents to support the food bank with a donation this winter, she said.",
    "Residents can get flood alerts with the county app, officials said.",
    "Buy prints of her work at the gallery, the curator said.",
    "This article was published on the day the vote ended, a year after the floods.",
    "The views expressed at the meeting were mixed, the chairwoman said.",  # whose views a story reports
    "The views expressed in this report are those of the committee.",
    "From the archives",  # a history column's heading as often as a box of old stories
    # A correction is the article's; so is news about someone's errors.
    "Correction: an earlier version of this story gave the wrong date for the vote. Email the desk for details.",
    "If you find an error on your tax bill, the council says, contact its office before March.",
    "If you find an error in your library account, email the desk at the Harbour Road branch.",
    "To report an error, readers must first contact the editor of the paper concerned.",
    "If you spot a mistake in your claim, tell us straight away, said Priya Shah of the ombudsman.",
    "If you think the flood map for your street is wrong, contact the agency; we put its number at the bottom of"
    " this article.",
    "The Harbour Herald has been published since 1902 and pays for local reporting.",
    "Mayor Ana Lind is a former journalist who ran the paper for a decade, she said on Monday.",
    # Sentences about copyright, rights and responses; a reporter's lead-in to a quote.
    "Copyright lawyers for the old harbour board have asked a court to stop the council using their drawings.",
    "(c) the operator must keep the old slipway open to fishing boats while the works go on.",
    "All rights reserved by the harbour board under the 1952 charter will pass to the council.",
    "300 responses to the public consultation were received, most of them from people near the harbour.",
    "There are 300 comments on the planning application, most of them against the harbour hotel.",
    "There are 412 comments on the post, most of them from regular customers of the kiosk.",
    "There is no comment on the story from the ferry company, which did not answer calls.",
    "Johnson said:",
    "Thanks for reading, she wrote in the note she left on the harbour master's desk.",
    "You have two weeks left to apply for the harbour grants, the council said.",
    "Download the form from the council website before Friday.",
    "Watch the parade live on the big screen in the square.",
    "Our standards of care fell short, the hospital said.",
    "Have a tip or two for new gardeners? The show wants to hear from listeners.",
    # Reported, or run on into the story: lines a hunt wrote against today's patterns.
    "Download the state's new MyVote app before Tuesday, election officials said.",
    "Download the Met Office app, and the warning appears as a yellow band on the map within minutes.",
    "Download the free ReadyMarsh app from the App Store or Google Play.",
    "Watch the final live on YouTube TV with commentary from former captain Danny Hale.",
    "Stream KRVT 7 News for free on Roku — that is the pitch the station is now making to viewers.",
    "You have 2 free articles remaining this month, the banner reads.",
    "This article first appeared in the spring issue of The Harbour Quarterly.",
    "Unlimited digital access to court records is what the reporters asked the judge for on Monday.",
    "We may earn a commission on every ticket, the ferry operator told the council.",
    "Have a tip or spotted the white Ford Transit since Wednesday? Call police on 101, quoting incident 214.",
    "Have a news tip or story idea? That question, painted on the side of the station's van, brought 600 calls.",
    "Our standards: the trust principles",
    "Thanks for reading. Please share this with anyone who still remembers the Gazette, wrote Ellen Shaw.",
    "Read more – and read slowly – was her advice to the 600 students.",
    "See also – the library that never closes",
    "Thanks for reading this far. Now to the harbour budget, which the board passed on Monday.",
    "Other councillors said the bridge would cost too much.",
    "Sign up for the harbour tours opened on Monday, the council said.",
    "Follow-up talks with the union are due on Thursday.",
    "The report, first published 1 March, was revised in April.",
    "This article is for readers who missed the first part of the series.",
    "If you enjoyed this article's first part, the harbour master said, the second will surprise you.",
    # An appeal quoted in a story is the speaker's.
    '"Please support the stallholders on the promenade today," the mayor told the meeting.',
    "The mayor said: \u201cPlease consider becoming a member of the harbour trust; they need work done.\u201d",
    # An editor's note in brackets.
    "[Editor's note: an earlier version of this story gave the wrong number of complaints for last summer.]",
    # A story about a former reporter (an author box says what its author is).
    "Rosa Fenwick was a reporter at the weekly paper for ten years before she opened the kiosk on the pier.",
    "Have something to say about the harbour? The board will hear residents on Monday.",
    "Send a letter to the editor, the harbour master urged the fishing crews who had complained to him.",
    "Upgrade work on the pier starts on Monday and will take six weeks, the harbour board said.",
    "Read: the board's notes on the repairs were short and said little about the cost.",  # no headline after it
    "Get the latest figures from the harbour office before you book a mooring, the board advised.",
    "Residents can download the free guide to the new bins from the council website, the mayor said.",
    "Presented by the harbour board, the plan would rebuild the pier by 2028.",
    "Like this year, the board will support the food bank with a donation of 500 euros.",
    "Want more harbour coverage? The board asked the paper for it in a letter on Monday.",
    "Join the fishermen's WhatsApp group, the harbour master urged the crews on Monday.",
    "The post of harbour master appeared first on the board's list of jobs to cut.",
    "This summary of the harbour plan was written by the board's engineers in March.",
    "The advert promised free bets to new customers, though \u201cT&Cs apply\u201d was printed in tiny type.",
    "Bookmakers cut the odds on the regatta after the storm; terms and conditions were changed on Friday.",
    "Letters from the harbour master were sent to every boat owner in March.",
    "Did you make the trip to the regatta? The board counted 4,000 visitors.",
    "The inquiry has been reviewed according to the council's own process, the mayor said.",
    "Stock data supplied by the exchange showed a fall of 4% on Monday.",
    "Residents can have their say at the meeting on Tuesday.",
    "Travel information was hard to find, passengers said.",
])
def test_article_sentences_are_not_boilerplate(line: str) -> None:
    assert load_rules().boilerplate_kind(line) is None

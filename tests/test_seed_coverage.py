"""Every dated fact of the seed articles is in the data, citing the seed, and checked against a better
source where the seed is partisan or second-hand (see ../shared/seeds/README.md).

Each entry: seed, the fact in a few words, the rows citing the seed, the rows from other sources.
"""

import pytest

import migration_analysis as ma

SEED_URLS = {
    "000": "https://southfront.org/us-big-tech-is-killing-its-dominance-by-its-own/",
    "001": "https://bounthavy.com/en/how-china-bought-western-social-media-and-communication-platforms/",
    "002": "https://newsrnd.com/tech/2021-01-21-%0A---the-social-network-parler-plans-his-return-to-operate-from-russia%0A--.B1UUzrw1O.html",
    "003": "https://www.pluris.fr/com/?p=2&conid=2163",
}

SEED_FACTS = [
    ("000", "Trump's Twitter account, about 89M followers, suspended", ["ban-0001"], ["ban-0016", "ban-0017", "ban-0105"]),
    ("000", "Facebook disabled Trump's account at least to the end of his term", ["ban-0002"], ["ban-0022", "ban-0024"]),
    ("000", "Instagram disabled Trump's account at least to the end of his term", ["ban-0003"], ["ban-0023", "ban-0025"]),
    ("000", "Twitter suspended more than 70,000 accounts after 6 January", ["ban-0004"], ["ban-0046", "ban-0048"]),
    ("000", "Snapchat acted on Trump-related accounts", ["ban-0005"], ["ban-0029", "ban-0030", "ban-0061"]),
    ("000", "Pinterest acted on Trump-related content", ["ban-0006"], ["ban-0066", "ban-0067"]),
    ("000", "Twitch acted on Trump-related accounts", ["ban-0007"], ["ban-0032", "ban-0033"]),
    ("000", "YouTube acted on Trump-related accounts", ["ban-0008"], ["ban-0026", "ban-0027"]),
    ("000", "TikTok acted on Trump-related content", ["ban-0009"], ["ban-0064", "ban-0065"]),
    ("000", "Reddit acted on Trump-related communities", ["ban-0010"], ["ban-0037", "ban-0038"]),
    ("000", "Discord acted on Trump-related communities", ["ban-0011"], ["ban-0044", "ban-0045"]),
    ("000", "Telegram passed 500M monthly active users in the first week of January 2021", ["surge-0001"], ["surge-0008"]),
    ("000", "25M new Telegram users in 72 hours", ["surge-0002"], ["surge-0009"]),
    ("000", "Shares of the 25M: 38% Asia, 27% Europe, 21% Latin America, 8% MENA",
     ["surge-0003", "surge-0004", "surge-0005", "surge-0006"], ["surge-0010", "surge-0011", "surge-0012", "surge-0013"]),
    ("000", "About 1.5M Telegram sign-ups a day in 2020", ["surge-0007"], ["surge-0014"]),
    ("000", "Heads of state on Telegram, Durov's list of 14 January", ["ctx-0044"], ["ctx-0045", "ctx-0046"]),
    ("000", "Telegram blocked in Russia in 2018", ["ctx-0015"], ["ctx-0013", "ctx-0014"]),
    ("000", "Russia lifted its Telegram restrictions in summer 2020", ["ctx-0018"], ["ctx-0016", "ctx-0017"]),
    ("001", "Tencent's Discord stake (seed: 2015, 150M USD; disputed)", ["ctx-0034"], ["ctx-0035", "ctx-0036", "ctx-0037"]),
    ("001", "Discord had more than 250M users in 2019", ["surge-0201"], ["surge-0202", "surge-0203"]),
    ("001", "Tencent took 12% of Snap in 2017", ["ctx-0038"], ["ctx-0039", "ctx-0040"]),
    ("001", "Snapchat had 229M users in 2020", ["surge-0207"], ["surge-0208", "surge-0209"]),
    ("001", "Reddit received 300M USD from China in 2019", ["ctx-0041"], ["ctx-0042", "ctx-0043"]),
    ("001", "Reddit had more than 330M monthly active users", ["surge-0211"], ["surge-0212", "surge-0214"]),
    ("001", "The FTC fined TikTok in 2019", ["ctx-0021"], ["ctx-0019", "ctx-0020"]),
    ("001", "The US Navy banned TikTok in December 2019", ["ctx-0024"], ["ctx-0022", "ctx-0023"]),
    ("001", "India banned TikTok (the seed gives no date)", [], ["ctx-0025", "ctx-0026"]),
    ("001", "Taiwan, NASA and Germany's Foreign Ministry barred Zoom (no date in the seed)", [],
     ["ctx-0029", "ctx-0031", "ctx-0032"]),
    ("002", "Google and Apple removed Parler from their stores", ["store-0005", "store-0008"], ["store-0003", "store-0006"]),
    ("002", "Amazon cut Parler's hosting just after midnight, Monday 11 January", ["store-0014"], ["store-0011", "store-0017"]),
    ("002", "Parler turned to DDoS-Guard", ["store-0029"], ["store-0025", "store-0026", "store-0027"]),
    ("002", "DDoS-Guard said it does not host Parler", ["ctx-0216"], ["ctx-0217", "ctx-0218"]),
    ("002", "Parler preparing a return operating through Russia", ["ctx-0214", "ctx-0215"], ["ctx-0219"]),
    ("002", "Parler's first million users (seed: August 2020)", ["surge-0301"], ["surge-0302"]),
    ("002", "Parler's users by November 2020, eight times July", ["ctx-0221"], ["ctx-0222", "surge-0310", "surge-0311"]),
    ("002", "More than 12M Parler users", ["surge-0332"], ["surge-0333"]),
    ("002", "Parler sued Amazon for breach of contract", ["ctx-0204"], ["ctx-0201", "ctx-0202"]),
    ("002", "The Capitol was stormed on 6 January 2021", ["ctx-0224"], ["ctx-0001", "ctx-0002"]),
    ("002", "Biden was inaugurated on 20 January 2021", ["ctx-0225"], ["ctx-0011", "ctx-0012"]),
    ("003", "Telegram announced 100M users", ["ctx-0050", "surge-0216"], ["ctx-0049", "surge-0218"]),
    ("003", "10B messages a day (Telegram said 15B in February 2016)", ["surge-0219"], ["surge-0220", "surge-0221"]),
    ("003", "Telegram closed 78 ISIS-linked channels in autumn 2015", ["ban-0201"], ["ban-0202", "ban-0203"]),
]


@pytest.fixture(scope="module")
def rows():
    tables = ma.load_all()
    return {row.id: row for name in ("account_bans", "store_removals", "user_surges", "context_events")
            for row in tables[name].itertuples()}


@pytest.mark.parametrize("seed, fact, seed_rows, other_rows", SEED_FACTS, ids=[f[1][:50] for f in SEED_FACTS])
def test_seed_fact_is_in_the_data(rows, seed, fact, seed_rows, other_rows):
    for rid in seed_rows:
        assert rid in rows, f"{rid} ({fact}) is missing"
        assert rows[rid].source_url == SEED_URLS[seed], f"{rid} should cite seed {seed}"
    assert other_rows, "every seed fact needs a row from another source"
    for rid in other_rows:
        assert rid in rows, f"{rid} ({fact}) is missing"
        assert rows[rid].source_url not in SEED_URLS.values(), f"{rid} should cite a source other than a seed"


def test_every_seed_row_is_listed(rows):
    """A row citing a seed must appear above, so this list stays the complete map of seed facts."""
    listed = {rid for _, _, seed_rows, _ in SEED_FACTS for rid in seed_rows}
    citing = {rid for rid, row in rows.items() if row.source_url in SEED_URLS.values()}
    citing -= {"ctx-0226"}  # an aside in seed 002 (a 2019 TechCrunch report), not a fact of the wave
    assert citing - listed == set()

import pytest

from podcastfeed.ids import episode_guid, podcast_guid


@pytest.mark.parametrize(
    "url",
    ["podnews.net/rss", "https://podnews.net/rss", "http://podnews.net/rss/", "podnews.net/rss//"],
)
def test_podcast_guid_matches_the_spec_example(url: str) -> None:
    """The Podcast Index spec's example: podnews.net/rss -> 9b024349-…"""
    assert podcast_guid(url) == "9b024349-ccf0-5f69-a609-6b82873eab3c"


def test_episode_guid_is_stable_and_depends_on_both_inputs() -> None:
    channel = podcast_guid("https://example.org/feed.xml")
    first = episode_guid(channel, "platform-engineering")
    assert first == episode_guid(channel, "platform-engineering")
    assert first != episode_guid(channel, "code-reviews")
    assert first != episode_guid(podcast_guid("https://other.org/feed.xml"), "platform-engineering")

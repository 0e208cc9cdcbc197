"""Publish: what clinics reuse beside the pages: embeds, cards, oEmbed, the JSON API and the Atom feed."""

"""Albums arrive with the community-albums work; this app already holds their place."""

"""S&T capability indicators from OpenAlex-format bibliographic records."""

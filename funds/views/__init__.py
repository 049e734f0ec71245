"""Fund pages: public disclosure, staff back office (/fund/manage/), organisations (/my/grants/)."""

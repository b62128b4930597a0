"""The generic extractor on real publisher pages (`tests/extract_pages/`, see its README):
given this page, these exact fields."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsmon.cli import cli
from newsmon.extract.article import extract_article
from newsmon.extract.readable import decode_body
from newsmon.items import ArticleItem
from newsmon.pipelines.normalize import normalize
from newsmon.store import Store
from newsmon.store.writer import StoreWriter

PAGES = Path(__file__).resolve().parent / "extract_pages"
FETCHED = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
URLS = {
    "garnix_glued_date_author": "https://garnix.io/blog/hardware-attested-nix-builds",
    "elsol_bar_outlet_author": "https://www.elsoldesanjuandelrio.com.mx/local/pescadores-gestionaran-crias-de-peces-5807069.html",
    "alyaum_name_dash_city": "https://www.alyaum.com/articles/6291787/القارات-السبع/طهران-تدفن-زادة-وتتهم-المعارضة-الإيرانية-باغتياله",
    "vegolosi_schemeless_profile": "https://www.vegolosi.it/news/climate-clock/",
    "thestar_parsely_time": "https://www.thestar.com/news/world/us/2020/03/23/ap-exclusive-allen-has-new-publisher-memoir-out-monday.html",
    "forbes_split_time_zone": "https://www.forbes.com/sites/marlamilling/2020/05/15/drunkorexia-on-the-rise-among-female-university-students/",
    "daejonilbo_time_seconds": "http://m.daejonilbo.com/mnews.asp?pk_no=1412361",
    "damiengwalter_site_named_byline": "https://damiengwalter.com/2024/12/30/10-science-fiction-books-to-read-in-2025/",
    "echostrength_byline_then_date": "https://www.echostrengthdepot.com/blogs/news/the-best-home-gym-setups-for-any-budget?srsltid=AfmBOor5vhg7Ky-Gh5Ge_N3c7HGQNW4iz8K8CPhNBrtDC7hHb1O1t7J_",
    "stephenbay_dated_byline_paragraph": "https://stephenbayphotography.com/blog/my-creative-process-for-landscape-photography/",
    "quietlight_heading_byline": "https://quietlight.com/how-to-find-the-right-software-business-for-sale/",
    "archdaily_curated_by": "https://www.archdaily.com/961099/chip-and-chop-house-david-ruiz-molina",
    "chiark_article_footer_byline": "https://www.chiark.greenend.org.uk/~cjwatson/blog/debusine-transitions.html",
    "pluralsight_author_bio_initial": "https://www.pluralsight.com/resources/blog/cloud/aws-vs-azure-vs-gcp-the-big-3-cloud-providers-compared",
    "rustlang_on_behalf_of": "https://blog.rust-lang.org/2025/12/19/what-do-people-love-about-rust",
    "konghq_card_link_times": "https://konghq.com/blog/learning-center/guide-to-api-documentation",
    "arstechnica_serial_comma": "https://arstechnica.com/gaming/2018/12/ars-technicas-ultimate-board-game-buyers-guide-2018-edition/",
    "provenwinners_contributors_label": "https://www.provenwinners.com/learn/houseplants/low-light",
    "arxiv_last_first_citation": "https://arxiv.org/abs/2512.16245",
    "jmir_citation_authors": "https://mhealth.jmir.org/2019/6/e14273",
    "socialshepherd_label_next_element": "https://thesocialshepherd.com/blog/top-social-media-agencies-us",
    "substack_author_tagline": "https://itsatravelod.substack.com/p/digitalnomad",
    "freecodecamp_login_author": "https://www.freecodecamp.org/news/how-to-create-documentation-with-docspage/",
    "theworlds50best_author_link": "https://www.theworlds50best.com/stories/News/asias-50-best-restaurants-2026-the-51-100-list.html",
    "softjourn_author_position": "https://softjourn.com/insights/in-demand-programming-languages-tips-for-selecting",
    "outdoorgearlab_by_dot_role": "https://www.outdoorgearlab.com/topics/camping-and-hiking/best-backpacking-gear-list",
    "robomow_site_name_og_title": "https://www.robomow.com/blog/detail/which-robotic-lawnmower-is-suitable-for-which-lawn-size",
    "runtothefinish_body_breadcrumbs_class": "https://runtothefinish.com/best-prepared-meal-delivery/",
    "cedardb_date_over_headline": "https://cedardb.com/blog/unnest_dbs",
    "steampunk_date_under_headline": "https://steampunk.si/spotter/blog/ansible-playbook-development-step-by-step-guide/",
    "pmc_citation_authors": "https://pmc.ncbi.nlm.nih.gov/articles/PMC9902068/",
    "uxcam_blogposting_graph": "https://uxcam.com/blog/mobile-ux/",
    "audiophileon_body_class": "https://www.audiophileon.com/news/best-wireless-headphones-list",
    "pollybarks_empty_byline": "https://pollybarks.com/blog/zero-waste-lifestyle-guide",
    "tigerdata_team_byline": "https://www.tigerdata.com/blog/best-practices-for-query-optimization-in-postgresql",
    "tryotter_written_by_label": "https://www.tryotter.com/blog/restaurant-tips/trends-in-catering",
    "security_expert_byline": "https://www.security.org/vpn/best/",
    "lmag_dateline": "https://www.l-mag.de/news-1010/holocaust-gedenktag-lesbische-erinnerungskultur-mit-stolpersteinverlegung.html?L=422",
    "goo_japanese_date": "https://blog.goo.ne.jp/umaichi_news/e/52743e20f825567d4e9889be58ec06b9",
    "elsol_spanish_date": "https://www.elsoldemazatlan.com.mx/finanzas/precio-del-petroleo-mexicano-cae-a-un-minimo-de-18-anos-4982125.html",
    "albayan_offset_day": "https://www.albayan.ae/across-the-uae/news-and-reports/2020-06-03-1.3874341",
    "avaz_trailing_json_ld": "https://avaz.ba/kantoni/republika-srpska/604722/generalni-direktor-eprs-pozitivan-na-koronavirus",
    "dw_title_suffix": "https://www.dw.com/en/berlin-confronts-germanys-colonial-past-with-new-initiative/a-52060881",
    "gofeminin_seo_title": "https://www.gofeminin.de/abnehmen/wie-kann-ich-schnell-abnehmen-s1431651.html",
    "lady50plus_dash": "https://lady50plus.de/2019/06/19/sekre-mystery-bag/",
    "laviedesidees_byline_date": "http://www.laviedesidees.fr/L-evaluation-et-les-listes-de.html",
    "scps_table_body": "https://www.scps.virginia.edu/whats-difference-between-certificate-and-certification",
    "fieldmag_fast_text_short": "https://www.fieldmag.com/articles/samaya-ultralight-mountaineering-gear",
    "withmoxie_plain_div_article": "https://www.withmoxie.com/blog/what-accounting-software-do-successful-freelancers-use",
    "creativeramblings_other_site_headings": "https://www.creativeramblingsblog.com/10-diy-woodworking-projects-for-your-home/",
    "hechingerreport_related_lines": "https://hechingerreport.org/proof-points-tutoring-effectiveness/",
    "princetonreview_main_article": "https://www.princetonreview.com/college-advice/application-essay-topics",
    "harvardhealth_article_in_main": "https://www.health.harvard.edu/mind-and-mood/regular-physical-activity-can-boost-mood",
    "aidoc_header_content_class": "https://www.aidoc.com/learn/blog/3-applications-of-ai-in-healthcare/",
    "venteur_listitem_cards": "https://www.venteur.com/blog/top-health-insurance-companies-in-united-states",
    "peta_all_posts_link": "https://www.peta.de/neuigkeiten/veterinaeraemter-2021/",
    "tobyhede_copyright_owner": "https://tobyhede.com/blog/the-7-habits-of-highly-ineffective-agents",
    "artmann_home_link_owner": "https://www.artmann.co/articles/30-years-of-br-tags",
    "reolink_us_slashed_date": "https://reolink.com/blog/diy-smart-home-automation-system/?srsltid=AfmBOorzynNVp9Pk9dqkASQ0Pe6hlZQjo9zI0P8lVzZ_F06ZOt3440Qu",
    "nomadstays_signed_full_name": "https://blog.nomadstays.com/travel-slow-stay-longer-the-digital-nomads-guide-to-off-peak-off-the-beaten-track-travel/",
    "marketingsherpa_role_credits_meta": "https://marketingsherpa.com/article/chart/digital-marketing-pricing",
    "sciencefly_given_name_byline": "http://sciencefly.com/video-shows-false-killer-whale-snagging-tuna-bait/",
    "pivot_name_under_headline": "https://pivot.app/blog/notion-alternative-team-collaboration",
    "paperium_names_beside_time": "https://paperium.net/article/en/3261/the-information-bottleneck-method",
    "zalaris_name_beside_date": "https://zalaris.com/managed-services/resources/blog/hr-shared-services-explained-benefits-functions-&-best-practices",
    "konghq_company_site_name": "https://konghq.com/blog/learning-center/guide-to-api-documentation",
    "townsquare_site_name_tagline": "https://www.townsquareinteractive.com/blog/hubspot-alternatives/",
    "graphite_permalink_icon_headings": "https://graphite.com/guides/typescript-generics",
    "infuy_toc_anchor_headings": "https://www.infuy.com/blog/top-strategies-to-optimize-blockchain-performance-and-security/",
    "siteline_split_rich_text": "https://www.siteline.com/blog/top-electrical-construction-companies",
    "pangeanic_bordered_boxes": "https://blog.pangeanic.com/how-accurate-is-gemini-for-business-and-enterprise-use",
    "healthline_pasted_span_style": "https://www.healthline.com/nutrition/plant-based-diet-guide",
    "technologyadvice_icon_class_accordion": "https://technologyadvice.com/blog/accounting/best-self-employed-accounting-software/",
    "animenewsnetwork_title_box_byline": "https://www.animenewsnetwork.com/news/2026-06-14/school-of-horns-mito-aoi-launches-new-manga/.238512",
    "energysage_accordion_steps": "https://www.energysage.com/solar/solar-panel-installation-guide-what-should-you-expect/",
    "absolutelylucy_named_anchor_headings": "https://absolutelylucy.com/becoming-a-digital-nomad/",
    "express_dont_miss_teasers": "https://www.express.co.uk/news/science/1205992/bubonic-plague-china-plague-news-the-plague-pneumonic-plague-in-china-2019-symptoms",
    "psl_stale_charset": "https://www.psl.eu/actualites/luniversite-psl-quand-les-grandes-ecoles-font-universite",
    "bbc_publisher_author": "https://www.bbc.com/news/newsbeat-50470672",
    "brigitte_publisher_author": "https://www.brigitte.de/liebe/persoenlichkeit/ikigai-macht-dich-sofort-gluecklicher--10972896.html",
    "cnn_analysis_by": "https://www.cnn.com/2019/11/18/politics/donald-trump-health-walter-reed/index.html",
    "ctpost_and_affiliation": "https://www.ctpost.com/news/article/Deval-Patrick-takes-nascent-2020-campaign-to-14847854.php",
    "nature_date_only": "https://www.nature.com/articles/d41586-019-02790-3",
    "rnz_shown_time": "https://www.rnz.de/nachrichten_artikel,-zz-dpa-Schlaglichter-Frank-Witzel-erhaelt-Deutschen-Buchpreis-2015-_arid,133484.html",
    "nytimes_visible_byline": "https://www.nytimes.com/2019/11/19/opinion/republicans-elections-impeachment.html",
    "spiegel_publisher_author": "https://www.spiegel.de/spiegel/print/d-161500790.html",
    "sueddeutsche_byline": "https://www.sueddeutsche.de/wirtschaft/bahn-flixbus-flixtrain-deutschlandtakt-fernverkehr-1.4445845",
    "threatpost_entity_author": "https://threatpost.com/android-ransomware-spreads-via-sex-simulation-game-links-on-reddit-sms/146774/",
    "zeit_kicker": "https://www.zeit.de/mobilitaet/2020-01/zugverkehr-christian-lindner-hochgeschwindigkeitsstrecke-eu-kommission",
    "washingtonpost_byline_buttons": "https://www.washingtonpost.com/news/opinions/wp/2018/10/29/enough-platitudes-lets-name-names/",
    "247sports_glued_by": "http://247sports.com/Bolt/Breaking-Houston-hires-Major-Applewhite-as-head-coach-49676932",
    "ladbible_byline_class": "https://www.ladbible.com/news/latest-aussie-government-sparks-fury-over-graphic-and-confronting-covid-19-ad-20210711",
    "phoronix_byline_links": "https://www.phoronix.com/scan.php?page=news_item&px=Steam-May-2019-Numbers",
    "timesofindia_slash_byline": "https://timesofindia.indiatimes.com/india/china-snubs-imran-says-resolve-jk-bilaterally/articleshow/71496416.cms",
    "bustle_lone_by": "https://www.bustle.com/articles/194709-13-ways-to-compliment-women-in-the-most-empowering-transformative-way-possible",
    "ascii_japanese_time": "https://weekly.ascii.jp/elem/000/000/428/428292/",
    "ndtv_meta_itemprop": "https://www.ndtv.com/india-news/coronavirus-us-president-donald-trump-says-there-may-be-retaliation-if-india-doesnt-clear-export-of-2207327",
    "apartmenttherapy_div_datetime": "http://www.apartmenttherapy.com/a-light-filled-la-loft-236564",
    "medium_path_author": "https://medium.com/the-wtf-economy/wtf-whats-the-future-e52ab9515573#.ilwrgwsks",
    "gizmodo_company_author": "https://www.gizmodo.jp/2019/04/suica-gashapon-bandai.html",
    "gruene_topic_title": "https://www.gruene.de/themen/arbeit",
    "lemonde_og_article_author": "https://www.lemonde.fr/economie/article/2019/05/07/dans-ses-previsions-economiques-bruxelles-confirme-la-montee-des-perils_5459325_3234.html",
    "rbbtoday_cxense_time": "https://www.rbbtoday.com/article/2019/04/19/169284.html",
    "tmz_slashed_date": "https://www.tmz.com/2016/11/28/prince-wife-estate-will/",
    "dmagazine_split_time": "http://www.dmagazine.com/frontburner/2016/12/nfl-concussion-settlement-payments-can-begin/",
    "engadget_profile_author": "https://www.engadget.com/lyft-extends-free-scooter-rides-for-critical-workers-184144961.html",
    "investmentexecutive_offset_clock": "https://www.investmentexecutive.com/news/research-and-markets/imf-dims-outlook-for-2023-global-economy-amid-ukraine-war/",
    "lifehacker_japanese_title": "https://www.lifehacker.jp/2019/03/amazon-fine-newspaper-stocker.html",
    "spektrum_breadcrumb_h1": "https://www.spektrum.de/news/genetik-das-geheimnis-der-parasitischen-rafflesien/2039026",
    "prospect_twitter_writer": "http://www.prospectmagazine.co.uk/magazine/anglosphere-old-dream-brexit-role-in-the-world",
    "refinery29_contributors_meta": "http://www.refinery29.com/2016/12/132377/graphic-tees-statement-shirt-style-tips",
    "furche_dossier_teasers": "https://www.furche.at/gesellschaft/achtsam-durch-die-krise-2497954",
    "osthessen_login_author": "https://osthessen-news.de/n11752374/claudia-brandes-und-ihr-links-gruenes-buendnis-muessen-jetzt-liefern.html",
    "asiapacificstar_banner_date": "http://www.asiapacificstar.com/news/263700449/australian-megablaze-brought-under-control",
    "siliconangle_body_comments_class": "http://siliconangle.com/blog/2016/05/16/circleci-receives-18-million-in-series-b-funding-round-with-scale-venture-partners",
    "informationweek_connect_directly": "http://www.informationweek.com/cloud/microsoft-expands-global-connectivity-with-local-startups/d/d-id/1325645",
    "astier_owner_host": "https://anisse.astier.eu/awk-driven-iot.html",
    "mcj_byline_affiliation": "https://newsletter.mcj.vc/p/nature-tech-collective",
    "c2es_authors_heading_list": "https://www.c2es.org/document/u-s-technology-and-innovation-policies-lessons-for-climate-change/",
    "bossley_name_in_host_labels": "https://sam.bossley.com/thoughts/25/08/thoughts-on-zig",
    "substack_owner_host": "https://simonsarris.substack.com/p/the-most-precious-resource-is-agency",
    "szczecin_caption_credit": "https://szczecin.se.pl/czterdziesci-wysokich-wygranych-w-eurojackpot-w-polsce-ale-to-w-tym-kraju-rozbili-wielka-kumulacje-aa-Vtns-Mgcv-RZmj.html",
    "phoronix_section_link": "https://www.phoronix.com/news/Raspberry-Pi-HEVC-H265-Decode",
    "techpowerup_dated_lists": "https://www.techpowerup.com/review/valkyrie-v240-lite-aio-liquid-cpu-cooler",
    "4pelagatos_headline_time": "https://4pelagatos.com/2019/04/29/es-la-pesca-china-una-amenaza-a-la-seguridad/",
    "thejournal_post_date": "https://www.thejournal.ie/homeless-figures-7-4613271-Apr2019/",
    "thinkit_japanese_byline": "https://thinkit.co.jp/article/15893",
    "ltn_bracketed_reporter": "https://news.ltn.com.tw/news/business/breakingnews/3119452",
    "joins_reporter_sign_off": "https://mnews.joins.com/article/23383588?cloc=joongang%7Cmhome%7CGroup45#home",
    "economist_marked_headline": "https://www.economist.com/united-states/2020/07/06/americas-huge-stimulus-is-having-surprising-effects-on-the-poor",
    "howtogeek_author_box": "http://www.howtogeek.com/282568/amazon-echo-vs.-google-home-which-one-should-you-buy/",
    "fusion_header_h1": "http://fusion.net/story/377467/la-la-land-oscar-hollywood-musicals-race/",
    "entermedia_logo_h1": "http://entermedia.co.kr/news/news_view.html?idx=8576&page=1&bc=03&mc=08&find=&sch_date=",
    "scottishconstructionnow_escaped_twice": "https://www.scottishconstructionnow.com/articles/and-finally-trouble-brewing",
    "akhbarelyom_developer_credit": "https://akhbarelyom.com/news/newdetails/3126898/1/36-%D8%B9%D8%A7%D9%85%D9%8B%D8%A7..-%D8%B3%D8%B1-%D8%B1%D8%AD%D9%8A%D9%84-%D9%86%D8%B9%D9%8A%D9%85%D8%A9-%D8%B9%D8%A7%D9%83%D9%81-%D9%81%D9%8A-%D8%B3%D9%86-%D9%85%D8%A8%D9%83%D8%B1",
    "koha_metadata_times_disagree": "https://www.koha.net/kronike-e-zeze/233165/arrestohen-dy-persona-ne-peje-per-organizim-te-lojerave-te-fatit/",
    "slashgear_offset_on_utc_clock": "https://www.slashgear.com/2020-audi-e-tron-sportback-revealed-as-electric-4-door-coupe-19600369/",
    "catchitkansas_time_before_date": "https://www.catchitkansas.com/content/news/Friday-State-Swim-Results-474349633.html",
    "politifact_byline_names_then_date": "https://www.politifact.com/west-virginia/statements/2019/nov/18/david-mckinley/what-value-drugs-come-us-border/",
    "drinkkoia_reworded_h2_headline": "https://drinkkoia.com/blogs/blog/7-ways-to-help-you-transition-to-a-plant-based-diet?srsltid=AfmBOopUUajsTEsEgJ9LBFJ6AGPylrI1_bx1o4NY1ODT6v9iFKGsbAHv",
    "boardgamers_title_h1_before_body_h1": "https://www.boardgamersanonymous.com/anthonys-top-10-board-games-of-2025/",
    "latimes_og_title_is_h1": "https://www.latimes.com/entertainment-arts/business/story/2019-11-19/disney-plus-kevin-mayer",
    "abookshelf_posted_by_unknown": "https://abookshelffullofsunshine.blogspot.com/2013/10/news-viertes-eigenes-blog-interview.html",
    "mashable_sponsored_by": "https://mashable.com/article/dec-19-apple-macbook-pro-i5",
    "goldsgym_login_with_digits": "https://www.goldsgym.com/blog/beginner-gym-workout-for-strength-training/",
    "fda_office_name_with_and": "https://www.fda.gov/drugs/postmarket-drug-safety-information-patients-and-providers/fdas-concerns-unapproved-glp-1-drugs-used-weight-loss",
    "camphouse_menu_by_heading": "https://camphouse.io/blog/social-shopping",
    "tvn24_desk_code_author": "https://tvn24.pl/swiat/koronawirus-w-chile-po-zniesieniu-obostrzen-tlumy-ludzi-w-sklepach-i-dlugie-kolejki-4668753?source=rss",
    "udn_commented_json_ld": "https://money.udn.com/money/story/5603/4909425",
    "johnsonsbaby_mojibake_site_name": "https://www.johnsonsbaby.com/baby-tips/how-to-get-toddler-to-sleep-in-own-bed",
    "businessinsider_name_and_site": "https://www.businessinsider.com/10-things-in-tech-you-need-to-know-today-november-19-2019-11",
    "amarujala_description_is_title": "https://www.amarujala.com/uttar-pradesh/varanasi/gahu-city-news-vns5205298178",
    "farodevigo_microdata_published": "https://www.farodevigo.es/deportes/2020/07/05/andres-iniesta-recuerdos-son-magicos/2309843.html?utm_source=rss",
    "xelz_blog_title": "http://xelz.info/blog/2019/01/11/ios-code-signature/",
    "zcool_glued_bars": "https://www.zcool.com.cn/article/ZOTYxODc2.html",
    "aeon_author_class": "https://aeon.co/essays/before-minecraft-or-snapchat-there-was-micromuse",
    "vanityfair_copyright_author": "https://www.vanityfair.com/hollywood/2021/09/the-controversy-behind-the-scenes-of-dallas-buyers-club",
    "almadenahnews_levantine_month": "https://www.almadenahnews.com/article/825076-%D8%A3%D9%85%D9%8A%D8%B1%D9%83%D8%A7-50-%D8%A7%D9%84%D9%81%D8%A7-%D8%AD%D8%B5%D9%8A%D9%84%D8%A9-%D8%A7%D9%84%D9%88%D9%81%D9%8A%D8%A7%D8%AA-%D8%A8%D8%B3%D8%A8%D8%A8-%D9%81%D9%8A%D8%B1%D9%88%D8%B3-%D9%83%D9%88%D8%B1%D9%88%D9%86%D8%A7",
    "abc7news_by_span_apart": "https://abc7news.com/camp-margaritaville-resort-napa-county-lake-berryessa-hotel-jimmy-buffett/14031465/",
    "theplanetarypress_written_by_colon": "https://www.theplanetarypress.com/2020/01/management-of-intact-forestlands-by-indigenous-peoples-key-to-protecting-climate/",
    "theperspective_posted_on_date_by": "https://ext.theperspective.com/items-we-never-knew-we-wanted/1/",
    "bosfahrzeuge_autor_label_in_line": "https://bos-fahrzeuge.info/news/Die-Haubenfahrzeuge-der-Nachkriegszeit-Teil-49-223",
    "derpapierplanet_book_fact_sheet": "https://www.derpapierplanet.de/2015/06/through-booking-glass-juni-genre.html",
    "elcolombiano_autor_class": "https://www.elcolombiano.com/antioquia/polemica-por-buses-de-la-alcaldia-en-casa-de-gustavo-petro-en-la-floresta-EN17385450",
    "linksfraktion_related_list_bylines": "https://www.linksfraktion.de/themen/nachrichten/detail/abzocke-wird-als-klimaschutz-verkauft/",
    "fincompare_all_posts_by_link": "https://fincompare.de/firmenwagen-leasing-oder-finanzierung",
    "ekiba_web_agency_author": "https://www.ekiba.de/detail/nachricht-seite/id/35204-trauern-digital-am-ewigkeitssonntag/?default=true",
    "petriheil_dc_publisher_author": "https://www.petri-heil.ch/de/bielerseewinterhechte--1026",
    "internetchemie_owner_publisher": "https://internetchemie.info/news/2021/jan21/heliumkerne-in-zinn-atomen-entdeckt.php",
    "rosalux_profil_link": "https://www.rosalux.de/news/id/45292/wir-waren-fast-40-tage-in-quarantaene?cHash=39ac749d120d127296ab076c203053d3",
    "derfarang_place_h1_first": "https://der-farang.com/de/pages/frei-erfunden-grab-bote-fliegt-nach-singapur",
    "ethify_blog_post_by": "https://ethify.org/content/vegetarier-zu-sein-bedarf-trend-oder-eigene-entscheidung",
    "reuters_reporting_by": "http://feeds.reuters.com/~r/reuters/businessNews/~3/UjOBluJTi0o/volkswagens-skoda-auto-2019-deliveries-dip-to-1-24-million-cars-due-to-weaker-sales-in-china-idUSKBN1ZC1DA",
    "dererfolg_site_h1_home_link": "http://www.der-erfolg-gibt-recht.de/rezepte/rinderleber-geschnetzeltes-mit-apfel-und-zwiebel.htm",
    "maescot_site_title_h1": "http://www.maescot.de/kleine-schafskunde/",
    "galore_section_h1": "https://www.galore.de/kultur/artikel/30-11-buch-der-woche-nikole-hannah-jones-hrsg-o-1619",
    "pferdaktuell_date_line_name": "https://www.pferd-aktuell.de/news/aktuelle-meldungen/zucht/stellungnahme-der-fn-zum-hlp-pilotjahr-2022",
    "finanztreff_nitf_byline": "http://www.finanztreff.de/realtimenews/influencer-und-trading-apps-die-jungen-entdecken-die-boerse/24437626",
}
TIME_ZONES = {
    "udn_commented_json_ld": "Asia/Taipei",
    "koha_metadata_times_disagree": "Europe/Belgrade",
    "slashgear_offset_on_utc_clock": "America/Chicago",
    "daejonilbo_time_seconds": "Asia/Seoul",
    "forbes_split_time_zone": "America/New_York",
    "politifact_byline_names_then_date": "America/New_York",
    "catchitkansas_time_before_date": "America/Chicago",
    "thestar_parsely_time": "America/Toronto",
    "lmag_dateline": "Europe/Berlin",
    "goo_japanese_date": "Asia/Tokyo",
    "elsol_spanish_date": "America/Mazatlan",
    "albayan_offset_day": "UTC",
    "avaz_trailing_json_ld": "Europe/Sarajevo",
    "dw_title_suffix": "Europe/Berlin",
    "nature_date_only": "Europe/London",
    "rnz_shown_time": "Europe/Berlin",
    "zeit_kicker": "Europe/Berlin",
    "ascii_japanese_time": "Asia/Tokyo",
    "tmz_slashed_date": "America/Los_Angeles",
    "reolink_us_slashed_date": "UTC",  # a source of no known place
    "dmagazine_split_time": "America/Chicago",
    "investmentexecutive_offset_clock": "America/Toronto",
    "furche_dossier_teasers": "Europe/Vienna",
    "almadenahnews_levantine_month": "Asia/Amman",
    "elcolombiano_autor_class": "America/Bogota",
}


def page_bytes(name: str) -> bytes:
    with gzip.open(PAGES / f"{name}.html.gz") as page:
        return page.read()


def extract_page(name: str) -> ArticleItem:
    """The page decoded as a crawl decodes it, then extracted."""
    text = decode_body(page_bytes(name), "text/html").text
    assert text is not None
    tz = TIME_ZONES.get(name, "Europe/Paris")
    return extract_article(URLS[name], text, FETCHED, source=name, tz=tz)


def test_every_page_has_its_address_and_a_line_of_provenance() -> None:
    names = sorted(path.name.removesuffix(".html.gz") for path in PAGES.glob("*.html.gz"))
    assert names == sorted(URLS)
    readme = (PAGES / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}.html.gz`" in readme for name in names)


# Mojibake: a UTF-8 page whose <meta> still declares ISO-8859-1.


def test_a_utf8_page_declaring_latin1_is_read_as_utf8() -> None:
    decoded = decode_body(page_bytes("psl_stale_charset"), "text/html")
    assert decoded.encoding == "utf-8"
    assert decoded.problems == ["declared cp1252 but the page is utf-8; read as utf-8"]
    assert "L’Université PSL : quand les grandes écoles font université" in str(decoded.text)


def test_a_utf8_page_declaring_latin1_gives_its_title_once_decoded() -> None:
    assert extract_page("psl_stale_charset").title == (
        "L’Université PSL : quand les grandes écoles font université"
    )


def test_the_extract_command_reads_a_saved_page_as_a_crawl_does(tmp_path: Path) -> None:
    saved = tmp_path / "page.html"
    saved.write_bytes(page_bytes("psl_stale_charset"))
    result = CliRunner().invoke(
        cli,
        ["extract", str(saved), "--url", URLS["psl_stale_charset"], "--json"],
    )
    assert result.exit_code == 0, result.output
    fields = json.loads(result.stdout)["fields"]
    assert fields["title"]["value"] == (
        "L’Université PSL : quand les grandes écoles font université"
    )


def test_the_extract_command_reads_a_shown_time_in_the_zone_the_page_tells(
    tmp_path: Path,
) -> None:
    # rnz.de shows "12.10.2015, 19:16 Uhr" and gives no time with an offset; its source is
    # not configured, so the zone comes from its domain, .de: Europe/Berlin (CEST, +02:00).
    saved = tmp_path / "page.html"
    saved.write_bytes(page_bytes("rnz_shown_time"))
    result = CliRunner().invoke(
        cli, ["extract", str(saved), "--url", URLS["rnz_shown_time"], "--json"]
    )
    assert result.exit_code == 0, result.output
    fields = json.loads(result.stdout)["fields"]
    assert fields["published_at"]["value"] == "2015-10-12T17:16:00+00:00"


def test_a_page_of_no_known_source_is_read_in_the_zone_its_bare_language_tells() -> None:
    # daejonilbo.com: '<html lang="ko">', no region, a .com domain; "2020-03-04 16:52:59"
    # shown under the headline, in Korea's time (KST, +09:00)
    item = extract_article(
        URLS["daejonilbo_time_seconds"],
        page_bytes("daejonilbo_time_seconds").decode(),
        FETCHED,
        source="x",
        tz=None,
    )
    assert item.published_at == "2020-03-04T07:52:00+00:00"


def test_a_page_of_no_known_source_in_a_country_of_several_zones_is_read_in_utc() -> None:
    page = (
        '<html lang="en-US"><body><h1>Storm closes schools</h1>'
        "<p>Posted March 2, 2026 at 10:15 am</p>"
        "<p>Schools in the county closed on Monday as the storm moved in from the west.</p>"
        "</body></html>"
    )
    item = extract_article("https://news.example/storm", page, FETCHED, source="x", tz=None)
    assert item.published_at == "2026-03-02T10:15:00+00:00"


def test_a_legacy_page_is_still_read_in_its_declared_encoding() -> None:
    body = '<html><meta charset="iso-8859-1"><p>sanción</p></html>'.encode("latin-1")
    decoded = decode_body(body, "text/html")
    assert (decoded.encoding, decoded.problems) == ("cp1252", [])
    assert "sanción" in str(decoded.text)


# Authors: people, as the page names them.


@pytest.mark.parametrize(
    ("name", "authors", "method"),
    [
        # JSON-LD "MEG KINNARD and ERRIN HAINES, Associated Press"
        ("ctpost_and_affiliation", ["MEG KINNARD", "ERRIN HAINES"], "json-ld"),
        # meta author "Analysis by Chris Cillizza, CNN Editor-at-large"
        ("cnn_analysis_by", ["Chris Cillizza"], "meta"),
        # JSON-LD "Lindsey O&#039;Donnell": an entity's ";" is no list separator
        ("threatpost_entity_author", ["Lindsey O'Donnell"], "json-ld"),
        # the publisher's name as the only author: JSON-LD "BBC News", "SPIEGEL ONLINE",
        # "BRIGITTE.de"; BBC's page names no one else, Spiegel's ends '<div
        # class="dig-autoren">Von Clemens Höges</div>' (the class in German)
        ("bbc_publisher_author", [], None),
        ("spiegel_publisher_author", ["Clemens Höges"], "html"),
        ("brigitte_publisher_author", [], None),
        # meta author "Süddeutsche.de GmbH, Munich, Germany"; the byline "Von Markus Balser, Berlin"
        ("sueddeutsche_byline", ["Markus Balser"], "html"),
        # no author in JSON-LD or the common meta tags; NYT's own <meta name="byl">
        ("nytimes_visible_byline", ["Jamelle Bouie"], "meta"),
        # no author metadata; the byline's hover card ends "Email Bio Follow"
        ("washingtonpost_byline_buttons", ["Jennifer Rubin"], "html"),
        # no author metadata; "<span>By</span>Travis Haney", read as "ByTravis Haney"
        ("247sports_glued_by", ["Travis Haney"], "html"),
        # no author metadata; '<div class="css-1wkce1i-Byline">' holds the name
        ("ladbible_byline_class", ["Stewart Perrie"], "html"),
        # '<div class="author">Written by <a>Michael Larabel</a> in <a>Valve</a> on 1 June ...'
        ("phoronix_byline_links", ["Michael Larabel"], "html"),
        # '<div class="byline"><a>Saibal Dasgupta</a> / TNN / <span>Updated: ...</span>'
        ("timesofindia_slash_byline", ["Saibal Dasgupta"], "html"),
        # no byline class; '<div><span>By </span><a href="/profile/...">Teresa Newsome</a></div>'
        ("bustle_lone_by", ["Teresa Newsome"], "html"),
        # no author metadata, no byline class: "By <a>Kathy Wise</a>" under the headline; the
        # sidebar's teasers, '<li><h2><a>...</a></h2><span class="byline"> By <a>Caitlin
        # Clark</a></span></li>', and '<article><h1><a>...</a></h1><a class="byline">' below
        ("dmagazine_split_time", ["Kathy Wise"], "html"),
        # meta twitter:label1 "Written by", twitter:data1 "Sameer Rahim" (the account that
        # posted); the byline under the headline: '<span class="author-meta">By</span>
        # <a class="author-meta"> Duncan Bell </a>'
        ("prospect_twitter_writer", ["Duncan Bell"], "html"),
        # meta author "Connie Wang,Sharokh Mirzai,...,Bethie Girmai,...": every contributor;
        # the page shows "written by Connie Wang", "Photographed by Sharokh Mirzai", "Styled
        # by Bethie Girmai"
        ("refinery29_contributors_meta", ["Connie Wang"], "meta"),
        # meta article:author "https://www.engadget.com/editors/jon-fingas", a profile's
        # address, as OpenGraph has it; the byline links "Jon Fingas" to another address of it
        ("engadget_profile_author", ["Jon Fingas"], "meta"),
        # JSON-LD author "christian.stadtfeld", a login; the article signs "(Christian P.
        # Stadtfeld) +++"
        ("osthessen_login_author", ["Christian P. Stadtfeld"], "json-ld"),
        # meta article:author "/@timoreilly" (a profile's path), meta author "Tim O'Reilly"
        ("medium_path_author", ["Tim O'Reilly"], "meta"),
        # two meta authors: "mediagene Inc." (the site's company) and "小暮ひさのり"
        ("gizmodo_company_author", ["小暮ひさのり"], "meta"),
        # meta og:article:author "Cécile Ducourtieux", no other author metadata; the page
        # names a photographer first
        ("lemonde_og_article_author", ["Cécile Ducourtieux"], "meta"),
        # no author metadata; '<p class="post-meta"> by <a rel="author">Kyt Dotson</a> | May
        # 16, 2016', on a page whose <body> class ends "inline-comments" (a theme setting)
        ("siliconangle_body_comments_class", ["Kyt Dotson"], "html"),
        # no author metadata; the author box shows '<a>Kelly Sheridan</a>', and beside it
        # '<div class="author-info-block"><span>Connect Directly</span>' and social links
        ("informationweek_connect_directly", ["Kelly Sheridan"], "html"),
        # a personal site: meta author "Anisse Astier" on anisse.astier.eu
        ("astier_owner_host", ["Anisse Astier"], "meta"),
        # a personal newsletter: JSON-LD author "Simon Sarris" (a Person) on
        # simonsarris.substack.com, its publisher "The Map is Mostly Water"; the page embeds
        # a post whose '<span class="tweet-author-name">' names someone else
        ("substack_owner_host", ["Simon Sarris"], "json-ld"),
        # a personal site: JSON-LD author Person, meta author, creator, publisher and
        # application-name "Sam Bossley" on sam.bossley.com, each word a label of the host
        ("bossley_name_in_host_labels", ["Sam Bossley"], "json-ld"),
        # no author metadata; beside the headline '<h6>Author(s)</h6> <ul> <li><a>John A.
        # Alic</a></li><li><a>David C. Mowery</a></li><li><a>Edward S. Rubin</a></li></ul>'
        # no author metadata; under the headline the subtitle '<h3 class="subtitle">by Amalia
        # Helen, Nature Tech Collective</h3>': the writer, then the group she writes for
        ("mcj_byline_affiliation", ["Amalia Helen"], "html"),
        (
            "c2es_authors_heading_list",
            ["John A. Alic", "David C. Mowery", "Edward S. Rubin"],
            "html",
        ),
        # no author metadata; the photo's caption above the byline credits '<span
        # class="author">Autor: BelleCo, Cottonbro Studio / CC0 / pexels.com</span>'; the
        # byline '<div class="article_author">' links "Grzegorz Kluczyński"
        ("szczecin_caption_credit", ["Grzegorz Kluczyński"], "html"),
        # '<div class="author">Written by <a>Michael Larabel</a> in <a>Raspberry Pi</a> on
        # 21 December 2024 ...': the section's name is two capitalized words
        ("phoronix_section_link", ["Michael Larabel"], "html"),
        # no author metadata, no byline; below the article the author box '<div
        # id="authorinfobox"><p><b><a href=".../author/craiglloyd/">Craig Lloyd</a></b> is TIME
        # Magazine's 2006 Person of the Year, ...</p>'; the comments' '<div
        # class="commentauthor">' name readers
        ("howtogeek_author_box", ["Craig Lloyd"], "html"),
        # no author metadata; the byline's class is written with a capital, '<p
        # class="styled__Author-sc-1khb67g-6">by Robin Sloan <span>+ BIO</span></p>'
        ("aeon_author_class", ["Robin Sloan"], "html"),
        # no author metadata; the byline '<span class="author"><i class="fa fa-user"></i>
        # <span class="person"><a href=".../author/10002">伊藤 雅博</a></span></span>': a
        # Japanese name, spaced, without capitals
        ("thinkit_japanese_byline", ["伊藤 雅博"], "html"),
        # no author metadata nor marked byline; under the headline '<span>이용민 기자 |
        # </span> 2020-03-04 16:52:59': the reporter's name, then his title (기자, reporter)
        ("daejonilbo_time_seconds", ["이용민"], "html"),
        # no author metadata nor marked byline; the story ends '김지혜 기자
        # kim.jihye6@joongang.co.kr', the paper's reporter box below it '중앙일보 기자'
        ("joins_reporter_sign_off", ["김지혜"], "html"),
        # no author metadata nor marked byline; the story opens '〔記者巫其倫／台北報導〕'
        ("ltn_bracketed_reporter", ["巫其倫"], "html"),
        # meta author "Condé Nast", meta copyright "Copyright (c) Condé Nast 2021": the
        # company; the byline '<p class="byline">By <a href=".../contributor/peter-staley">Peter
        # Staley</a></p>'
        ("vanityfair_copyright_author", ["Peter Staley"], "html"),
        # a Yoast-like @graph: a WebPage (no author) before the BlogPosting whose author is
        # '{"@type": "Person", "name": "Annemarie Bufe"}'; meta author "UXCam", the company
        ("uxcam_blogposting_graph", ["Annemarie Bufe"], "json-ld"),
        # the byline credits the site ('Written By <a>Audiophile On</a>'), its only author;
        # the <body> class holds a theme setting "tweak-blog-item-show-author-name": the
        # whole page is no byline, its menu buttons and list headings no names
        ("audiophileon_body_class", ["Audiophile On"], "html"),
        # the byline's link is empty: '<div class="... author">Written By <a></a></div>'; the
        # site is named for its writer: og:site_name "Polly Barks" (a given name, then a word
        # the page never writes in small letters), which the host spells
        ("pollybarks_empty_byline", ["Polly Barks"], "meta"),
        # "By Team Tiger Data" under the headline (the company's account); the article ends
        # '<p>Written by <a>Paulinho Giovannini</a></p>'
        ("tigerdata_team_byline", ["Paulinho Giovannini"], "html"),
        # no author metadata, no byline class: '<p>Written by</p><p>Edzel Tabing</p>'
        ("tryotter_written_by_label", ["Edzel Tabing"], "html"),
        # a journal article: one meta citation_author per author, no other author metadata;
        # the corresponding author's note '<div class="author-notes p">' names one of them
        ("pmc_citation_authors", ["Aditya Mahindru", "Pradeep Patil", "Varun Agrawal"], "meta"),
        # no author metadata, no byline class: 'By <a href="/author/...">Ben
        # Applebaum-Bauch</a> &sdot; Review Editor', the role after a dot operator
        ("outdoorgearlab_by_dot_role", ["Ben Applebaum-Bauch"], "html"),
        # the byline box shows the name, then the writer's role in an element of its own:
        # '<div class="name"> Written by <span>Meghan Neville</span> </div> <div
        # class="position">Content Marketing Coordinator</div>'
        ("softjourn_author_position", ["Meghan Neville"], "html"),
        # nothing marks a byline: '<p><strong><a href="//www.theworlds50best.com/stories/
        # authors/Rachael+Hogg">Rachael Hogg</a></strong> - 12/03/2026</p>' under the
        # headline; a list of the site's authors at the foot of the page
        ("theworlds50best_author_link", ["Rachael Hogg"], "html"),
        # meta article:author gives a login, "officialrajdeepsingh"; the author card links
        # '<a href="/news/author/officialrajdeepsingh/">Rajdeep Singh</a>'
        ("freecodecamp_login_author", ["Rajdeep Singh"], "meta"),
        # meta author "Andrea Valeria - Remote Jobs": a name and, after a spaced dash, the
        # writer's tagline
        ("substack_author_tagline", ["Andrea Valeria"], "meta"),
        # no author metadata, no byline class: the label, the name and a biography in three
        # elements of one box, '<div>Written by</div><div>Jack Shepherd</div><div>Hi! I'm
        # Jack, Co-Founder of Social Shepherd. ...</div>'
        ("socialshepherd_label_next_element", ["Jack Shepherd"], "html"),
        # a preprint: five meta citation_author written "Last, First" ("Roy, Aniruddha")
        (
            "arxiv_last_first_citation",
            ["Aniruddha Roy", "Jyoti Patel", "Aman Chadha", "Vinija Jain", "Amitava Das"],
            "meta",
        ),
        # a journal article: meta DC.Creator names the first author only, six meta
        # citation_authors (the tag's older name) name every one
        (
            "jmir_citation_authors",
            [
                "Jennifer Huberty",
                "Jeni Green",
                "Christine Glissmann",
                "Linda Larkey",
                "Megan Puzia",
                "Chong Lee",
            ],
            "meta",
        ),
        # no author metadata, no byline class: '<div><strong>Contributors:</strong> Janet
        # Loughrey</div>' under the headline and its subtitle
        ("provenwinners_contributors_label", ["Janet Loughrey"], "html"),
        # the byline lists three writers with a comma before the last one's "and":
        # '<span class="author">Aaron Zimmerman, Nate Anderson, and Tom Mendelsohn</span>'
        (
            "arstechnica_serial_comma",
            ["Aaron Zimmerman", "Nate Anderson", "Tom Mendelsohn"],
            "html",
        ),
        # no author metadata: '<div class="publish-date-author">Dec. 19, 2025 &middot; Niko
        # Matsakis on behalf of <a>Vision Doc group</a></div>'
        ("rustlang_on_behalf_of", ["Niko Matsakis"], "html"),
        # the byline '<div class="author-by-line">... By Scott Pletcher</div>' under the
        # headline; below the article, beside it in the page's grid, the author box '<div
        # class="author-bio">... <p class="author-bio-name">Scott P.</p>'
        ("pluralsight_author_bio_initial", ["Scott Pletcher"], "html"),
        # no author metadata, no byline class; the article's own <footer>, after its comments
        # section: '<p>Posted by <a href=".../blog/author/colin-watson.html">Colin Watson</a>
        # on <time>2025-12-18</time> in <a>debusine</a>. Tags: ...</p>'
        ("chiark_article_footer_byline", ["Colin Watson"], "html"),
        # JSON-LD author "記者林宸誼／即時報導": "reporter", the name, a slash and the desk
        ("udn_commented_json_ld", ["林宸誼"], "json-ld"),
        # meta author "Charlie Wood, Business Insider" on businessinsider.com: beside a person,
        # the name the host spells is the publisher's
        ("businessinsider_name_and_site", ["Charlie Wood"], "meta"),
        # Blogger's byline "Eingestellt von <span class='fn'>Unknown</span>" (posted by)
        ("abookshelf_posted_by_unknown", [], None),
        # JSON-LD and article:author "Sponsored by StackCommerce"; the byline "By <a
        # href="/author/samantha-mangino">Samantha Mangino</a>"
        ("mashable_sponsored_by", ["Samantha Mangino"], "html"),
        # JSON-LD Person and twitter:data1 ("Written by") the login "mdelatorreq6vkpg2ma0ci",
        # which the page spells as no name
        ("goldsgym_login_with_digits", [], None),
        # JSON-LD author Person "asty//now", the codes of a writer and an editor, and the byline
        # "Autor: asty//now": no one's name
        ("tvn24_desk_code_author", [], None),
        # JSON-LD Person and meta author "Camphouse Team", the site's own name; in its menu, a
        # <nav>, the heading '<p class="elementor-heading-title">BY COMPANY TYPE</p>': no byline
        ("camphouse_menu_by_heading", [], None),
        # JSON-LD author Organization "Center for Drug Evaluation and Research" (and meta
        # dcterms.creator): one office of the agency, not two authors joined by "and"
        ("fda_office_name_with_and", ["Center for Drug Evaluation and Research"], "json-ld"),
        # JSON-LD author "(أبوظبي - البيان)", "(Abu Dhabi - Al Bayan)": a dateline in brackets
        ("albayan_offset_day", [], None),
        # meta DC.Creator "Developed By Heba Musa", the site's credit; the byline '<div
        # class="post-meta-author"><a href="/Editors/EditorNews/689/1/..."><h5>نورهان
        # نبيل</h5></a></div>'
        ("akhbarelyom_developer_credit", ["نورهان نبيل"], "html"),
        # no author metadata; the byline '<p class="byline">Galo Ramírez | El Sol de México</p>'
        # names the writer and his paper, whose name opens with an article
        ("elsol_spanish_date", ["Galo Ramírez"], "html"),
        # no author metadata; '<div class="autor-text-time"><span>Piše: P. Mucović </span>
        # <span class="article_published_at">prije 26 minuta</span></div>'
        ("avaz_trailing_json_ld", ["P. Mucović"], "html"),
        # no author metadata: '<span class="theAuthor">Curated by <strong>Clara
        # Ott</strong></span>' under the headline
        ("archdaily_curated_by", ["Clara Ott"], "html"),
        # no author metadata; over the <h1>, '<div class="styles_dateAndAuthorContainer__JAvHP">
        # <span>Dec 17, 2025</span><span>Julian K. Arni</span></div>', no space between the
        # two; below the article, other posts' boxes of that class name other writers
        ("garnix_glued_date_author", ["Julian K. Arni"], "html"),
        # JSON-LD author "Rosalía Nieves | El Sol de San Juan del Río": the writer and, after a
        # bar, the newspaper she writes for
        ("elsol_bar_outlet_author", ["Rosalía Nieves"], "json-ld"),
        # JSON-LD author "حسام أبو العلا - القاهرة", the writer and, after a spaced dash, the
        # city he writes from (Cairo): Arabic script has no capitals
        ("alyaum_name_dash_city", ["حسام أبو العلا"], "json-ld"),
        # no author metadata; the byline '<p class="byline"> Galo Ramírez | El Sol de México
        # </p>': the writer, then the newspaper of the chain he writes for
        ("elsol_spanish_date", ["Galo Ramírez"], "html"),
        # meta article:author "facebook.com/vegolosi", a social profile's address without its
        # scheme; the byline '<span>di</span> <span><i><a rel="author">Vegolosi.it</a></i>'
        # names the site
        ("vegolosi_schemeless_profile", [], None),
        # no author metadata; a personal site named for its writer (og:site_name "Damien
        # Walter"), whose byline credits him: '<span class="byline">Posted by<span
        # class="author vcard"><a>Damien Walter</a></span></span>'
        ("damiengwalter_site_named_byline", ["Damien Walter"], "html"),
        # no author metadata; the byline is a subheading under the headline, '<h5>By Quiet
        # Light</h5>', crediting the site (og:site_name "Quiet Light")
        ("quietlight_heading_byline", ["Quiet Light"], "html"),
        # no author metadata; under the <h2> headline '<p class="blog-post-meta"> <time
        # datetime="...">Dec 08, 2019</time> by Stephen Bay in <a rel="category tag">Growth</a>
        # </p>': the date, then the labelled byline, then the section it was filed in
        ("stephenbay_dated_byline_paragraph", ["Stephen Bay"], "html"),
        # no author metadata; under the headline '<div class="m-article__meta"> by <span>ALLIN
        # ONE</span> on <span>Jan 22, 2025</span> </div>': the name, then "on" and the date
        ("echostrength_byline_then_date", ["ALLIN ONE"], "html"),
        # no author metadata; under the headline '<p>By <a>Matthew Digby</a> , <a>Minh Do</a>
        # <span>on Monday, November 18th, 2019 at 11:08 a.m.</span>': the weekday is the date's
        ("politifact_byline_names_then_date", ["Matthew Digby", "Minh Do"], "html"),
        # no author metadata; in the title's box '<small>posted on <time>2026-06-15 11:15
        # EDT</time></small> by Rafael Antonio Pineda', a text in no element of its own
        ("animenewsnetwork_title_box_byline", ["Rafael Antonio Pineda"], "html"),
        # no author metadata nor byline; below the post, cards of related posts laid out as
        # '<div role="listitem"><a href="/blog/..."><h3>...</h3><div
        # class="blog35_author-text"><div>Stacy Edgar</div>': their writer is not this post's
        ("venteur_listitem_cards", [], None),
        # meta author "Kong" (and twitter:data1 "Written by" "Kong"), og:site_name "Kong
        # Inc.": the company without its legal form; no byline
        ("konghq_company_site_name", [], None),
        # meta author "Townsquare Interactive", og:site_name "Townsquare Interactive |
        # Charlotte, NC"; the byline credits the site: 'by <span class="author vcard"><a>
        # Townsquare Interactive</a></span> | <span>Feb 6, 2025</span> | <a rel="category
        # tag">Business Tips</a>, ...': the categories after the date are no one
        ("townsquare_site_name_tagline", ["Townsquare Interactive"], "html"),
        # JSON-LD author "PETA-Team", one word; the author box's link to its page reads "Alle
        # Beiträge" (all posts), no fuller form of the name
        ("peta_all_posts_link", ["PETA-Team"], "json-ld"),
        # no author metadata, site name nor byline; the footer's "© 2025 Toby Hede. All rights
        # reserved." on tobyhede.com
        ("tobyhede_copyright_owner", ["Toby Hede"], "meta"),
        # no author metadata, site name, byline nor copyright line; the header's link home
        # '<a href="/">Christoffer Artmann</a>' on artmann.co, which spells his surname
        ("artmann_home_link_owner", ["Christoffer Artmann"], "meta"),
        # meta author "Linda", a given name; the post ends '<p>Written by Linda McCall</p>'
        ("nomadstays_signed_full_name", ["Linda McCall"], "meta"),
        # meta author "content: MarketingSherpa, design: Scott McDaniel, code: Steve Beger,
        # MECLABS": the site's makers by role; the byline 'by <span class="author"><a>Daniel
        # Burstein</a>, Senior Director, ...</span>'
        ("marketingsherpa_role_credits_meta", ["Daniel Burstein"], "html"),
        # no author metadata nor marked byline; under the headline and the lead, '<p>Elliot
        # Raba</p>' alone, then the date '<p><span>23.07.2025</span> · <span>6 min read</span>'
        ("zalaris_name_beside_date", ["Elliot Raba"], "html"),
        # no author metadata nor marked byline; right under the <h1>, '<div><img
        # alt="pfp"><span>Jennifer Simonazzi</span></div>'
        ("pivot_name_under_headline", ["Jennifer Simonazzi"], "html"),
        # no author metadata nor marked byline; under the <h1>, '<p>Naftali Tishby, Fernando
        # C. Pereira, William Bialek</p>' over '<time>24 Apr 2000 • 3 min read</time>': most
        # open with a given name ("Naftali" is in no list)
        (
            "paperium_names_beside_time",
            ["Naftali Tishby", "Fernando C. Pereira", "William Bialek"],
            "html",
        ),
        # no author metadata; the byline '<div class="cb-author ..."><a
        # href=".../author/paul/">Paul</a>': a given name alone, as small sites' writers sign
        ("sciencefly_given_name_byline", ["Paul"], "html"),
        # no author metadata; og:site_name "Asia Pacific Star" on asiapacificstar.com opens
        # with a given name, but the page writes "star-studded": a brand's words
        ("asiapacificstar_banner_date", [], None),
        # no author metadata; the byline '<span>By</span><span><a>J.R. Stone</a></span>',
        # label and name in elements with no space between
        ("abc7news_by_span_apart", ["J.R. Stone"], "html"),
        # no author metadata; in the article, '<p><em>Written by: <a>Julie Mollins</a></em></p>'
        ("theplanetarypress_written_by_colon", ["Julie Mollins"], "html"),
        # no author metadata; the byline 'Posted on September 21, 2020 by Adi Tzlil'
        ("theperspective_posted_on_date_by", ["Adi Tzlil"], "html"),
        # no author metadata; '<p>Autor: <a>Klausmartin Friedrich</a> Tags: <a>1907</a>, ...'
        ("bosfahrzeuge_autor_label_in_line", ["Klausmartin Friedrich"], "html"),
        # no author metadata; a book's fact sheet, "Seiten: 400 Seiten" / "Autorin: Alys
        # Arden" / "Verlag: ...": the book's author, not the post's
        ("derpapierplanet_book_fact_sheet", [], None),
        # no author metadata; '<div class="autor"><h6>Jacobo Betancur Peláez | Publicado
        # hace 3 horas</h6></div>', the class in Spanish
        ("elcolombiano_autor_class", ["Jacobo Betancur Peláez"], "html"),
        # no author metadata nor byline; related pieces listed as '<li><a
        # href="/themen/...">headline</a><div class="kontextliste-autor">Pressemitteilung von
        # Katja Kipping</div></li>': their writers are not this page's
        ("linksfraktion_related_list_bylines", [], None),
        # no author metadata; the author box's '<h3>Martin Junker</h3>' and its link "Alles von
        # Martin Junker" (all by him)
        ("fincompare_all_posts_by_link", ["Martin Junker"], "html"),
        # meta author "Web Commerce GmbH www.w-commerce.de": the agency that built the site
        ("ekiba_web_agency_author", [], None),
        # meta author "Auto Illustrierte", the publisher meta DC.publisher names; the writer in
        # the byline
        ("petriheil_dc_publisher_author", ["Ivan Valetny"], "html"),
        # meta author, publisher and copyright all "Andreas Jaeck": a person's own site
        ("internetchemie_owner_publisher", ["Andreas Jaeck"], "meta"),
        # no author metadata; under the heading "Autor" '<p><a
        # href="/profil/es_detail/.../nikolai-huke">Nikolai Huke</a>, </p>'
        ("rosalux_profil_link", ["Nikolai Huke"], "html"),
        # no author metadata; over the <h1> '<small>04.02.2022 | 13:10 Uhr | Uta
        # Helkenberg</small>', a date line ending with the writer's name
        ("pferdaktuell_date_line_name", ["Uta Helkenberg"], "html"),
        # no author metadata; '<byline>Von David Hutzler, dpa</byline>' (NITF markup of the
        # agency's feed)
        ("finanztreff_nitf_byline", ["David Hutzler"], "html"),
        # no author metadata; '<p>Blog Beitrag von Margarita Koreneva</p>' under the title
        ("ethify_blog_post_by", ["Margarita Koreneva"], "html"),
        # no author metadata; '<p class="Attribution_content">Reporting by Jason Hovet</p>'
        # closing the story
        ("reuters_reporting_by", ["Jason Hovet"], "html"),
    ],
)
def test_authors_are_the_people_the_page_names(
    name: str, authors: list[str], method: str | None
) -> None:
    item = extract_page(name)
    assert (item.authors, item.methods.get("authors")) == (authors, method)


def test_a_metadata_day_with_one_digit_month_and_day_stays_a_day() -> None:
    head = '<meta property="article:published_time" content="2022-5-5">'
    item = story("https://example-news.test/a", f"<h1>Headline</h1>{TEXT}", head=head)
    assert (item.published_date, item.published_basis) == ("2022-05-05", "date_only")


def test_a_profile_linked_in_a_sentence_of_the_text_is_no_byline() -> None:
    # a quoted expert, linked to the site's profile of him mid-sentence
    mention = (
        "<p>The research includes an evaluation by experts, including "
        '<a href="/profile/lewis-ziska">Lewis Ziska</a>, PhD, from the School of Public '
        "Health, who studied the food supply and its changes over the decades to come.</p>"
    )
    item = story("https://example-news.test/a", f"<h1>Headline</h1>{mention}{TEXT}")
    assert item.authors == []


@pytest.mark.parametrize(
    "byline",
    [
        "<p>Ein Artikel von Max Mustermann</p>",
        "<p>Eine Kolumne von Max Mustermann</p>",
        "<p>Reporting by Max Mustermann</p>",
        # the French class word
        '<p class="auteur">Max Mustermann, envoyé spécial à Kiev</p>',
        # first under the headline, its label left out
        "<address>Von Max Mustermann</address>",
    ],
)
def test_bylines_of_more_layouts_and_languages_name_their_writer(
    byline: str,
) -> None:
    item = story(
        "https://www.example-zeitung.test/a", f"<h1>Neue Regeln für Renten</h1>{byline}{TEXT}"
    )
    assert item.authors == ["Max Mustermann"]


def test_a_byline_s_label_left_alone_is_no_name() -> None:
    # "Von" (by) is a given name too; the desk it labels is no author
    byline = (
        '<div class="td-post-author-name"><div class="td-author-by">Von</div> '
        '<a href="/author/redaktion/">Redaktion</a><div class="td-author-line"> - </div></div>'
    )
    item = story("https://example-zeitung.test/a", f"<h1>Neue Regeln für Renten</h1>{byline}{TEXT}")
    assert item.authors == []


def test_a_link_to_a_sports_team_s_page_is_no_byline() -> None:
    # "/team/" names a club on sports pages, a person's page only on some sites
    club = '<p><a href="/team/fc-bayern-muenchen">Bayern München</a> 2:1</p>'
    item = story("https://sport.example-news.test/a", f"<h1>Derby won late</h1>{club}{TEXT}")
    assert item.authors == []
    byline = '<p><a href="/people/jane-doe">Jane Doe</a></p>'
    item = story("https://sport.example-news.test/a", f"<h1>Derby won late</h1>{byline}{TEXT}")
    assert item.authors == ["Jane Doe"]


def test_an_author_line_of_a_book_s_fact_sheet_is_not_the_post_s_byline() -> None:
    sheet = (
        "<div>Title: The Casquette Girls</div><div>Pages: 400</div>"
        "<div><u>Author: </u>Alys Arden</div><div>Publisher: fortheARTofit</div>"
    )
    item = story("https://example-news.test/a", f"<h1>Books of June</h1>{sheet}{TEXT}")
    assert item.authors == []
    byline = "<div><u>Author: </u>Jane Doe</div>"  # the same line, alone
    item = story("https://example-news.test/a", f"<h1>Books of June</h1>{byline}{TEXT}")
    assert item.authors == ["Jane Doe"]


def test_a_byline_s_section_link_is_no_name_when_its_elements_are_read_one_by_one() -> None:
    # techpowerup's byline names a forum handle, then the section the review was filed in
    byline = (
        '<div class="byline"><div>by <address><a href="/forums/members/68032/">'
        "crazyeyesreaper</a></address>, </div><div>on <time>May 16th, 2025</time>, </div>"
        '<div>in <a href="/review/?category=CPU%20Coolers">CPU Coolers</a>.</div></div>'
    )
    page = (
        "<html><head></head><body><article><h1>Valkyrie V240 LITE Review</h1>"
        f"{byline}<p>{'Some text of the review. ' * 20}</p></article></body></html>"
    )
    item = extract_article("https://www.techpowerup.com/review/a/", page, FETCHED, source="t")
    assert item.authors == []


def test_a_job_title_after_a_byline_s_name_is_no_author() -> None:
    # '<span class="author-name"><a>Brett Cruz</a><span>, Privacy and Digital Security
    # Expert</span></span>'
    authors = extract_page("security_expert_byline").authors
    assert "Brett Cruz" in authors
    assert not [name for name in authors if "Expert" in name]


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ('<span class="author">林宸誼</span>', ["林宸誼"]),
        ('<span class="author">小暮ひさのり</span>', ["小暮ひさのり"]),
        ('<div class="byline"><a href="/reporter/1">김철수</a></div>', ["김철수"]),
        # the credit for the text before the names: "text/", "writer:", "reporting and text:"
        ('<div class="byline">文／山田太郎、鈴木花子</div>', ["山田太郎", "鈴木花子"]),
        ('<div class="byline">文・山田太郎</div>', ["山田太郎"]),
        ('<div class="byline">取材・文：山田太郎</div>', ["山田太郎"]),
        ('<span class="author">作者：张三</span>', ["张三"]),
        ('<div class="byline">글=홍길동</div>', ["홍길동"]),
        ('<span class="author">责任编辑：李四</span>', []),  # the editor in charge
        ('<div class="byline">文／朝日新聞</div>', []),
        # a desk, an outlet, a role, the page's interface: no one
        ('<span class="author">ASCII編集部</span>', []),
        ('<span class="author">朝日新聞</span>', []),
        ('<span class="author">记者</span>', []),
        ('<span class="author">プロフィール</span>', []),
        ('<span class="author">管理人</span>', []),  # the site's admin
        ('<span class="author">佚名</span>', []),  # anonymous
        ('<span class="author-title">专栏作家</span>', []),  # columnist
        ('<div class="author"><span>发布了</span> <span>获得阅读</span></div>', []),
    ],
)
def test_a_chinese_japanese_or_korean_byline_names_whom_it_shows_whole(
    byline: str, authors: list[str]
) -> None:
    assert authors_on_page("https://news.example.jp/a/1", "見出し", byline) == authors


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        # a wire story's opening: its dateline, the reporter, "=" and the story
        (
            f"<p>[서울=뉴시스]홍길동 기자 = {'정부는 오늘 새 정책을 발표했다. ' * 20}</p>",
            ["홍길동"],
        ),
        ("<p>(서울=연합뉴스) 김철수 특파원 = 정부는 오늘 새 정책을 발표했다.</p>", ["김철수"]),
        # two reporters, the reporter's address after the title, at the story's end
        ("<p>본문입니다.</p><p>홍길동·김철수 기자</p>", ["홍길동", "김철수"]),
        ("<p>본문입니다.</p><p>김지혜 기자 kim.jihye@example.co.kr</p>", ["김지혜"]),
        # a marked byline and a Chinese one
        ('<div class="byline">홍길동 선임기자</div>', ["홍길동"]),
        ('<span class="author">记者 张三/北京</span>', ["张三"]),
        # a press conference (기자회견) and a paper's reporter page are no byline
        ("<p>노조는 기자회견을 열고 매각 반대를 밝혔다.</p>", []),
        ("<p>중앙일보 기자</p>", []),
    ],
)
def test_a_korean_or_chinese_reporter_line_names_the_reporters(
    byline: str, authors: list[str]
) -> None:
    assert authors_on_page("https://news.example.kr/a/1", "새 정책 발표", byline) == authors


@pytest.mark.parametrize(
    ("story", "authors"),
    [
        # a paper's dateline and reporters in brackets, opening the story (as Nikkei signs)
        ("【ワシントン=八十島綾平】米相互関税の負担軽減措置を巡り発表した。", ["八十島綾平"]),
        ("【北京=山田太郎、鈴木花子】中国政府は新たな方針を発表した。", ["山田太郎", "鈴木花子"]),
        # a Chinese paper's own reporters, opening the story
        ("本报记者 张三 李四 政府今天发布了新的政策。", ["张三", "李四"]),
        ("本报记者 张三 北京报道 政府今天发布了新的政策。", ["张三"]),
        # a Taiwanese paper's reporter and desk in brackets (news.ltn.com.tw)
        ("〔記者巫其倫／台北報導〕財政部今天下午將公佈中獎清冊。", ["巫其倫"]),
        # a flash label, a wire's name, a note in brackets, an age: no one
        ("【速報】米政府は新たな制裁を発表した。", []),
        ("【ワシントン=共同】米政府は新たな制裁を発表した。", []),
        ("米政府は新たな制裁を発表した。【設計】", []),
        ("田中さん（35）は話した。", []),
    ],
)
def test_a_japanese_or_chinese_story_names_its_reporters_as_papers_sign(
    story: str, authors: list[str]
) -> None:
    assert authors_on_page("https://news.example.jp/a/1", "米政府が新制裁", f"<p>{story}</p>") == (
        authors
    )


# A paragraph of an article's text, long enough to be read as its body.
TEXT = f"<p>{'A sentence of the article, with a few more words. ' * 20}</p>"


def story(url: str, article: str, *, head: str = "", before: str = "") -> ArticleItem:
    """What is read from a page of `head` markup and one `<article>`, `before` it in <body>."""
    page = f"<html><head>{head}</head><body>{before}<article>{article}</article></body></html>"
    return extract_article(url, page, FETCHED, source="t")


def authors_on_page(url: str, headline: str, byline: str) -> list[str]:
    """The authors read from an article page of `headline`, then `byline`, then a paragraph
    of text in the headline's script."""
    page = (
        f"<html><head></head><body><article><h1>{headline}</h1>{byline}"
        f"<p>{(headline + '。') * 30}</p></article></body></html>"
    )
    return extract_article(url, page, FETCHED, source="t").authors


def test_a_korean_author_value_is_the_reporter_without_title() -> None:
    page = (
        '<html><head><meta name="author" content="홍길동 기자"></head><body><article>'
        f"<h1>새 정책 발표</h1><p>{'기사 본문의 문장입니다. ' * 30}</p></article></body></html>"
    )
    item = extract_article("https://news.example.kr/a/1", page, FETCHED, source="t")
    assert (item.authors, item.methods["authors"]) == (["홍길동"], "meta")


# Dates: the date and time the page shows, when no attribute holds them.


@pytest.mark.parametrize(
    ("name", "published", "method"),
    [
        # no date metadata; the byline: "<span class="date">, le 15 septembre 2009</span>"
        ("laviedesidees_byline_date", (None, "2009-09-15", "date_only"), "html"),
        # no date metadata; '<div class="nfy-ar-date">12.10.2015, 19:16 Uhr</div>' (CEST)
        ("rnz_shown_time", ("2015-10-12T17:16:00+00:00", "2015-10-12", "exact"), "html"),
        # no date metadata; "<strong>Date</strong> 19.01.2020" beside a dated list of links
        ("dw_title_suffix", (None, "2020-01-19", "date_only"), "html"),
        # dc.date "2019-09-24"; the page shows "24 September 2019", no time: none is made up
        ("nature_date_only", (None, "2019-09-24", "date_only"), "meta"),
        # the JSON-LD article (datePublished "2020-10-26T18:10:00+01:00") ends in a stray "}";
        # the page shows only "prije 26 minuta" and a teaser of 09.08.2020
        ("avaz_trailing_json_ld", ("2020-10-26T17:10:00+00:00", "2020-10-26", "exact"), "json-ld"),
        # datePublished "2020-06-03T03:01+0400", shown "03 يونيو 2020"; no source zone set
        ("albayan_offset_day", ("2020-06-02T23:01:00+00:00", "2020-06-03", "exact"), "json-ld"),
        # no date metadata; '<p class="published-date">&nbsp; / martes 17 de marzo de 2020</p>'
        ("elsol_spanish_date", (None, "2020-03-17", "date_only"), "html"),
        # no date metadata; '<span class="entry-top-info-time">2020年07月12日</span>'
        ("goo_japanese_date", (None, "2020-07-12", "date_only"), "html"),
        # no date metadata; the article's first paragraph opens "27.1.2022 - Bei der Erinnerung
        # an die Verfolgten ..." and goes on for lines; its text later quotes "27. Januar"
        ("lmag_dateline", (None, "2022-01-27", "date_only"), "html"),
        # no date metadata; '<p class="date">2019年04月21日 12時00分更新</p>' (JST)
        ("ascii_japanese_time", ("2019-04-21T03:00:00+00:00", "2019-04-21", "exact"), "html"),
        # '<meta name="modified-date" itemprop="datePublished" content="Tue, 07 Apr 2020
        # 15:49:34 +0530">', no other date metadata
        ("ndtv_meta_itemprop", ("2020-04-07T10:19:34+00:00", "2020-04-07", "exact"), "meta"),
        # meta cXenseParse:recs:publishtime "2019-04-19T09:39:34+0900", no other date
        # metadata; the first <time> on the page is a related article's
        ("rbbtoday_cxense_time", ("2019-04-19T00:39:34+00:00", "2019-04-19", "exact"), "meta"),
        # no date in JSON-LD nor OpenGraph; '<meta property="article:published"
        # itemprop="datePublished dateCreated" content="2019-11-19T11:00:09.000Z">', two
        # microdata names in one attribute, and '<meta name="pdate" content="20191119">'
        (
            "nytimes_visible_byline",
            ("2019-11-19T11:00:09+00:00", "2019-11-19", "exact"),
            "meta",
        ),
        # no date metadata; '<h5 class="article__published-at">11/28/2016 11:00 AM PT</h5>'
        ("tmz_slashed_date", ("2016-11-28T19:00:00+00:00", "2016-11-28", "exact"), "html"),
        # no date metadata, no language region nor place; '<span class="time">3/4/2025</span>'
        # beside the author's name under the headline: month first, as most such pages write it
        ("reolink_us_slashed_date", (None, "2025-03-04", "date_only"), "html"),
        # no date metadata; '<span class="story__info__item"> December 14, 2016 </span>
        # <span class="story__info__item"> 2:24 pm </span>' under the headline (CST)
        ("dmagazine_split_time", ("2016-12-14T20:24:00+00:00", "2016-12-14", "exact"), "html"),
        # no date metadata; '<span class="author-timestamp" itemprop="datePublished"
        # content="2018-10-29T10:15-500">', its offset's leading zero left out
        (
            "washingtonpost_byline_buttons",
            ("2018-10-29T15:15:00+00:00", "2018-10-29", "exact"),
            "time",
        ),
        # meta article:published_time "2019-04-19T20:00:00.000Z", the page's
        # '<time datetime="2019-04-19T20:00:00+09:00">2019.04.19 20:00</time>': the local time
        # marked UTC in the metadata
        ("gizmodo_company_author", ("2019-04-19T11:00:00+00:00", "2019-04-19", "exact"), "time"),
        # no date metadata; '<div class="PostByline__timestamp" datetime="2016-10-13 17:00:00
        # -0400">', no <time> element
        (
            "apartmenttherapy_div_datetime",
            ("2016-10-13T21:00:00+00:00", "2016-10-13", "exact"),
            "time",
        ),
        # meta article:published_time "2022-10-11T19:11:05-04:00", the UTC clock marked with
        # the local offset; microdata datePublished "2022-10-11T15:11:05-04:00", "15:11" shown
        (
            "investmentexecutive_offset_clock",
            ("2022-10-11T19:11:05+00:00", "2022-10-11", "exact"),
            "time",
        ),
        # no date metadata; under the headline the dossier's teasers, '<article><h2><a
        # href="/politik/...">...</a></h2><span class="default-teaser__date">01. Juli 2020'
        # and this article's own, linking here, "18. März 2020"
        ("furche_dossier_teasers", (None, "2020-03-18", "date_only"), "html"),
        # no date metadata; '<time data-published="2016-12-09 09:13:00Z"> Dec 9, 2016 </time>'
        ("247sports_glued_by", ("2016-12-09T09:13:00+00:00", "2016-12-09", "exact"), "time"),
        # no date metadata; '<div class="article_created">تم نشره الجمعة 24 نيسان / أبريل 2020
        # 09:22 مساءً</div>' under the headline: April by its Levantine and its Gregorian name,
        # 21:22 in Amman (UTC+3)
        (
            "almadenahnews_levantine_month",
            ("2020-04-24T18:22:00+00:00", "2020-04-24", "exact"),
            "html",
        ),
        # no date metadata, no <h1>; the site's banner, '<header>...<span class="date">Tue, 14
        # Jan 2020</span>', is the day it was served; under the <h2> headline '<p>News24<br>13
        # Jan 2020, 22:11 GMT+10</p>'
        (
            "asiapacificstar_banner_date",
            ("2020-01-13T12:11:00+00:00", "2020-01-13", "exact"),
            "html",
        ),
        # no date metadata; '<span class="storyDate">Posted: <span itemprop="datePublished">Fri
        # 6:45 PM, Feb 16, 2018</span></span>': the time before the date (Wichita, UTC-6)
        (
            "catchitkansas_time_before_date",
            ("2018-02-17T00:45:00+00:00", "2018-02-16", "exact"),
            "html",
        ),
        # no date metadata; under the headline '<p>By <a>Matthew Digby</a> , <a>Minh Do</a>
        # <span>on Monday, November 18th, 2019 at 11:08 a.m.</span>', the fifth text after it;
        # over it, the statement checked, "stated on October 13th, 2019 in an article"
        (
            "politifact_byline_names_then_date",
            ("2019-11-18T16:08:00+00:00", "2019-11-18", "exact"),
            "html",
        ),
        # no date metadata; the byline ends "Updated: Oct 9, 2019, 11:05 IST" (source zone: Paris)
        (
            "timesofindia_slash_byline",
            ("2019-10-09T05:35:00+00:00", "2019-10-09", "exact"),
            "html",
        ),
        # JSON-LD datePublished "2020-09-25T16:02:50CDT", the zone named after the time; the
        # page shows the day only, "viernes 25 de septiembre de 2020"
        (
            "elsol_bar_outlet_author",
            ("2020-09-25T21:02:50+00:00", "2020-09-25", "exact"),
            "json-ld",
        ),
        # JSON-LD datePublished and meta article:published_time "2020-03-23", the day only;
        # meta parsely-pub-date "2020-03-23T17:10:08.000Z"; the page shows "Mon., March 23,
        # 2020" without a time
        (
            "thestar_parsely_time",
            ("2020-03-23T17:10:08+00:00", "2020-03-23", "exact"),
            "meta",
        ),
        # JSON-LD datePublished "2020-05-15", the day only; over the headline '<time>May 15,
        # 2020,</time><span class="time"><time>07:02pm EDT</time></span>': the time, with its
        # zone, in an element of its own after the date's
        (
            "forbes_split_time_zone",
            ("2020-05-15T23:02:00+00:00", "2020-05-15", "exact"),
            "html",
        ),
        # no date metadata; under the headline '<span>이용민 기자 | </span> 2020-03-04
        # 16:52:59', the time with its seconds (KST)
        (
            "daejonilbo_time_seconds",
            ("2020-03-04T07:52:00+00:00", "2020-03-04", "exact"),
            "html",
        ),
        # JSON-LD datePublished "2022-5-5 22:17:36", month and day of one digit, in Bogotá
        (
            "elcolombiano_autor_class",
            ("2022-05-06T03:17:36+00:00", "2022-05-05", "exact"),
            "json-ld",
        ),
    ],
)
def test_the_published_date_is_the_one_the_page_shows(
    name: str, published: tuple[str | None, str, str], method: str
) -> None:
    item = extract_page(name)
    assert (item.published_at, item.published_date, item.published_basis) == published
    assert item.methods["published_at"] == method


def test_an_article_element_listing_dated_posts_is_not_the_article() -> None:
    # no date metadata; the byline's '<time datetime="2025-05-16T14:15:00+00:00">' after the
    # headline, in no <article>; the sidebar's boxes are <article>s listing forum posts and
    # reviews, each with its <time datetime>
    item = extract_page("techpowerup_dated_lists")
    assert (item.published_at, item.methods["published_at"]) == (
        "2025-05-16T14:15:00+00:00",
        "time",
    )


def test_the_time_beside_the_headline_comes_before_the_article_s_other_times() -> None:
    # no date metadata; '<h1>...</h1><span class="meta-time"><time
    # datetime="2019-04-29T09:41:27-05:00">Publicado en abril 29, 2019</time>' in the header,
    # then in the <article> below it another '<time datetime="2019-04-29T12:28:44-05:00">'
    item = extract_page("4pelagatos_headline_time")
    assert (item.published_at, item.methods["published_at"]) == (
        "2019-04-29T14:41:27+00:00",
        "time",
    )


def test_a_post_date_meta_gives_the_time_with_its_offset() -> None:
    # '<meta content="2019-04-30T17:22:02+0100" name="article:post_date">', no other date
    # metadata; the page shows "17:22" without a zone
    item = extract_page("thejournal_post_date")
    assert (item.published_at, item.methods["published_at"]) == (
        "2019-04-30T16:22:02+00:00",
        "meta",
    )


def test_schema_org_s_date_published_comes_before_a_recommender_s_publish_time() -> None:
    # '<meta name="cXenseParse:recs:publishtime" content="2020-07-05T09:06:05+01:00"/>' (the
    # update, an hour off) before '<meta itemprop="datePublished"
    # content="2020-07-05T07:03:10Z"/>'; the page shows "05.07.2020 | 09:03" (CEST)
    item = extract_page("farodevigo_microdata_published")
    assert (item.published_at, item.methods["published_at"]) == (
        "2020-07-05T07:03:10+00:00",
        "meta",
    )


@pytest.mark.parametrize(
    ("name", "published_at"),
    [
        # JSON-LD datePublished "2020-08-13T09:09:17Z" (its update, the local clock marked
        # UTC); article:published_time "2020-08-13T09:08:08+02:00"; shown "13 gusht 2020, 09:08"
        ("koha_metadata_times_disagree", "2020-08-13T07:08:08+00:00"),
        # JSON-LD datePublished "2019-11-20T02:15:49-06:00" (the UTC clock marked with the local
        # offset); article:published_time "2019-11-20T02:15:49+00:00"; shown "Nov 19, 2019,
        # 8:15 pm CST"
        ("slashgear_offset_on_utc_clock", "2019-11-20T02:15:49+00:00"),
    ],
)
def test_of_metadata_times_that_disagree_the_one_the_page_shows_wins(
    name: str, published_at: str
) -> None:
    item = extract_page(name)
    assert (item.published_at, item.methods["published_at"]) == (published_at, "meta")


def test_a_json_ld_block_with_comments_is_read_as_browsers_read_it() -> None:
    # '//"interactionCount": "", // 文章互動數' and '"height": "1000", // 高度' in the block;
    # <title> "索尼、鎧俠業績遭波及 已向美申請供貨華為 | 兩岸焦點 | 兩岸 | 經濟日報" and "15:05" shown
    item = extract_page("udn_commented_json_ld")
    assert (item.title, item.methods["title"]) == (
        "索尼、鎧俠業績遭波及 已向美申請供貨華為",
        "json-ld",
    )
    assert (item.published_at, item.methods["published_at"]) == (
        "2020-10-04T07:05:21+00:00",
        "json-ld",
    )


def dated_page(head: str, shown: str) -> str:
    return (
        f"<html lang='de'><head>{head}</head><body><article><h1>Eine Schlagzeile</h1>"
        f"{shown}<p>{'Ein Satz des Artikels. ' * 20}</p></article></body></html>"
    )


def test_a_time_element_without_datetime_gives_the_time_it_shows() -> None:
    html = dated_page("", "<time>3. März 2026, 14:05 Uhr</time>")
    item = extract_article("https://example.test/a", html, FETCHED, source="x", tz="Europe/Berlin")
    assert (item.published_at, item.published_basis) == ("2026-03-03T13:05:00+00:00", "exact")
    assert item.methods["published_at"] == "time"


def test_a_date_only_value_takes_the_time_the_page_shows_for_that_date() -> None:
    head = '<meta property="article:published_time" content="2026-03-03">'
    shown = '<p class="byline">Von Anna Schmidt | 03.03.2026, 14:05 Uhr</p>'
    item = extract_article(
        "https://example.test/a", dated_page(head, shown), FETCHED, source="x", tz="Europe/Berlin"
    )
    assert (item.published_at, item.published_basis) == ("2026-03-03T13:05:00+00:00", "exact")


def test_a_date_only_value_takes_the_time_a_later_date_of_that_day_shows() -> None:
    # meta citation_date "2025/12/18"; "[Submitted on 18 Dec 2025]" over the headline, and
    # below the abstract, the submission history's "[v1] Thu, 18 Dec 2025 06:55:17 UTC"
    item = extract_page("arxiv_last_first_citation")
    assert (item.published_at, item.published_date, item.published_basis) == (
        "2025-12-18T06:55:00+00:00",
        "2025-12-18",
        "exact",
    )
    assert item.methods["published_at"] == "html"


def test_a_date_only_value_ignores_a_time_shown_for_another_date() -> None:
    head = '<meta property="article:published_time" content="2026-03-03">'
    shown = '<p class="byline">Aktualisiert 04.03.2026, 09:00 Uhr</p>'
    item = extract_article(
        "https://example.test/a", dated_page(head, shown), FETCHED, source="x", tz="Europe/Berlin"
    )
    assert (item.published_at, item.published_date) == (None, "2026-03-03")


def test_the_date_shown_under_the_headline_wins_over_dated_teasers_below() -> None:
    html = (
        "<html><body><div><h1>A headline</h1>"
        '<div class="updated-date">April 5, 2018 | 6:00 PM</div>'
        f"<p>{'A sentence of the article. ' * 20}</p></div><aside>"
        '<article><h3>Another story</h3><span class="date">February 12, 2018</span></article>'
        "</aside></body></html>"
    )
    item = extract_article("https://example.test/a", html, FETCHED, source="x", tz="US/Eastern")
    assert (item.published_at, item.published_date) == ("2018-04-05T22:00:00+00:00", "2018-04-05")
    assert item.methods["published_at"] == "html"


@pytest.mark.parametrize(
    ("name", "day"),
    [
        # no date metadata; "December 17, 2025 • 8 minutes" over the <h1>, "Read more in the
        # CedarDB Blog" below the article lists posts dated '<p class="listing__item__date">'
        ("cedardb_date_over_headline", "2025-12-17"),
        # no date metadata; '<h4>December 11, 2023 - Words by The Spotter Team - 7 min
        # read</h4>' under the <h1>, with no date class; "This could be interesting for you"
        # below lists posts dated '<p class="date">'
        ("steampunk_date_under_headline", "2023-12-11"),
        # no date metadata, no <time> of its own; "January 28, 2025" over the <h1>; below the
        # article "Recommended posts", each an <article> with its <h1> and '<time
        # datetime="2025-04-14T04:00:00.000Z">', linked by a card link over it titled with
        # the heading ('<a class="Card_link" title="What is Docs as Code?" href="...">')
        ("konghq_card_link_times", "2025-01-28"),
    ],
)
def test_the_date_beside_the_headline_wins_over_related_posts_dates(name: str, day: str) -> None:
    item = extract_page(name)
    assert (item.published_at, item.published_date) == (None, day)
    assert item.methods["published_at"] == "html"


def test_the_time_of_a_teaser_linked_around_its_heading_is_another_article_s() -> None:
    html = (
        "<html><body><div><h1>A headline</h1><p>March 2, 2026</p>"
        f"<p>{'A sentence of the article. ' * 20}</p></div>"
        '<article><a href="/another-story"><h3>Another story</h3></a>'
        '<time datetime="2026-02-12T10:00:00Z">February 12, 2026</time></article>'
        "</body></html>"
    )
    item = extract_article("https://example.test/a", html, FETCHED, source="x", tz="UTC")
    assert (item.published_at, item.published_date) == (None, "2026-03-02")


def test_a_date_no_markup_names_is_read_from_the_text_with_its_time() -> None:
    # no <h1>, <article> or date class: the byline is "Gunter Frank / 22.04.2020 / 06:15"
    html = (
        "<html lang='de'><head><title>Bericht zur Lage</title></head><body><div>"
        "<h2>Bericht zur Lage</h2><div><a href='/autor/frank_g'>Gunter Frank</a> / "
        f"22.04.2020 / 06:15</div><p>{'Ein Satz des Artikels. ' * 20}</p></div></body></html>"
    )
    item = extract_article("https://example.test/a", html, FETCHED, source="x", tz="Europe/Berlin")
    assert (item.published_at, item.published_date, item.published_basis) == (
        "2020-04-22T04:15:00+00:00",
        "2020-04-22",
        "exact",
    )
    assert item.methods["published_at"] == "html"


def test_a_day_the_text_shows_in_a_teaser_of_another_article_is_not_the_page_s() -> None:
    html = (
        "<html><body><div><h2>A headline</h2><article><h3><a href='/another-story'>Another "
        "story</a></h3><p>March 1, 2026</p></article><p>March 2, 2026</p>"
        f"<p>{'A sentence of the article. ' * 20}</p></div></body></html>"
    )
    item = extract_article("https://example.test/a", html, FETCHED, source="x", tz="UTC")
    assert (item.published_date, item.methods["published_at"]) == ("2026-03-02", "html")


def test_a_day_only_the_address_shows_is_found_by_htmldate() -> None:
    html = (
        f"<html><body><h1>A headline</h1><p>{'A sentence of the article. ' * 20}</p></body></html>"
    )
    url = "https://example.test/2020/04/22/a-headline"
    item = extract_article(url, html, FETCHED, source="x", tz="Europe/Berlin")
    assert (item.published_date, item.published_basis) == ("2020-04-22", "date_only")
    assert item.methods["published_at"] == "htmldate"


@pytest.mark.parametrize(
    ("shown", "day"),
    [
        ("Posted 02.03.2026, next event 22.04.2026", "2026-03-02"),
        ("Posted 30 February, 2026", None),  # no such day (htmldate would keep its month)
        ("Posted 01.02.2026", "2026-02-01"),
        ("Next event 22.04.2026", None),  # after the fetch (2026-03-03)
        ("Copyright 2019", None),  # a year, not a day
    ],
)
def test_a_searched_day_is_a_whole_date_shown_before_the_fetch(shown: str, day: str | None) -> None:
    html = (
        f"<html><body><div><h2>A headline</h2><div>{shown}</div>"
        f"<p>{'A sentence of the article. ' * 20}</p></div></body></html>"
    )
    item = extract_article("https://example.test/a", html, FETCHED, source="x")
    assert item.published_date == day


def test_the_dates_of_a_sidebar_of_other_articles_are_not_the_page_s() -> None:
    html = (
        "<html><body><main><h2>A headline</h2>"
        f"<p>{'A sentence of the article. ' * 20}</p></main><aside><ul>"
        "<li><a href='/b'>Another story</a> <span class='news-date'>17.Jul.2025</span></li>"
        "<li><a href='/c'>A third story</a> <span class='news-date'>16.Jul.2025</span></li>"
        "</ul></aside></body></html>"
    )
    item = extract_article("https://example.test/a", html, FETCHED, source="x")
    assert (item.published_date, item.methods.get("published_at")) == (None, None)


# Body: the full extraction when the fast one kept almost nothing of a long page.


def test_a_description_repeating_the_headline_gives_way_to_the_body_s_first_prose() -> None:
    # JSON-LD and meta descriptions "जिले में 32 क्रय केंद्रों पर गेहूं की खरीद शुरू", the headline
    # again; the body opens "Updated Thu, 16 Apr 2020 01:00 AM IST", then the button "ख़बर सुनें"
    item = extract_page("amarujala_description_is_title")
    assert item.title == "जिले में 32 क्रय केंद्रों पर गेहूं की खरीद शुरू"
    assert item.body[:2] == ["Updated Thu, 16 Apr 2020 01:00 AM IST", "ख़बर सुनें"]
    assert (item.lead, item.methods["lead"]) == (item.body[2], "main-text")
    assert item.lead.startswith("वाराणसी। जनपद के 32 क्रय केंद्रों पर बुधवार को समर्थन मूल्य पर")


@pytest.mark.parametrize(
    ("name", "paragraphs", "index", "opening"),
    [
        # the fast extraction keeps 413 characters of a long essay
        (
            "laviedesidees_byline_date",
            69,
            1,
            "Depuis longtemps, les économistes et les gestionnaires, s’inspirant en cela des "
            "pratiques de communautés scientifiques",
        ),
        # it keeps 2 of a feature's paragraphs, 1,238 characters of the 14,655 in the page's
        # <p>s: more than 500, yet under a tenth
        (
            "fieldmag_fast_text_short",
            50,
            4,
            "Ghislain Pipers was a lifelong competitive climber when he enrolled in the École "
            "d'ingénieurs Matériaux Textiles",
        ),
    ],
)
def test_an_article_the_fast_extraction_cuts_short_is_read_in_full(
    name: str, paragraphs: int, index: int, opening: str
) -> None:
    item = extract_page(name)
    assert item.methods["body"] == "main-text"
    assert len(item.body) == paragraphs
    assert item.body[index].startswith(opening)


def test_an_essay_keeps_the_table_of_its_annex() -> None:
    body = extract_page("laviedesidees_byline_date").body
    assert body[50] == (
        "Annexe : Place des français et des européens parmi les « publiants » des revues "
        "dépouillées dans le cadre de cette note"
    )
    assert body[58] == "| HPE Histoire économique | 99 | 124 | 15 | 12.1 | 12 | 17 | 12.1 | 17.2 |"


def test_a_table_in_the_article_is_part_of_its_body() -> None:
    item = extract_page("scps_table_body")
    assert item.body[2:] == [
        "| Certificate | Certification |",
        "|---|---|",
        "| Result of an educational process | Result of an assessment process |",
        "| For newcomers and experienced professionals | Typically requires experience |",
        "| Indicates completion of a course or series of courses with a particular focus "
        "| Indicates mastery/competency measured against a standard – usually by exam |",
        "| Course content set through academic process | Standards set through an "
        "industry-wide process |",
        "| Usually listed on a resume detailing education | Typically results in a designation "
        "to use after one’s name (CPA, SPHR, PMP) |",
        "| Demonstrates knowledge of course content | Often has ongoing training requirement "
        "(C.E.U.s) |",
        "| Gateway to a degree | No relationship to attaining higher education/degree |",
    ]


def test_an_article_in_plain_divs_keeps_its_headings_and_lists() -> None:
    # the post in <div class="text-style-rich-text w-richtext">s, no <article> or <main>:
    # '<h2>1. QuickBooks</h2>' ... '<ul role="list"><li><strong>Invoicing Customization:'
    body = extract_page("withmoxie_plain_div_article").body
    assert len(body) == 52
    assert body[2:7] == [
        "1. QuickBooks",
        "The Old Reliable",
        "When you think of accounting software, QuickBooks is often the first name that pops "
        "up. It’s like that classic Beatles song — time-tested and still groovy.",
        "Features:",
        "- Invoicing Customization: Create bespoke invoices that reflect your brand. Because "
        "let’s face it, if you're sending an invoice, you might as well make it look spiffy.",
    ]
    assert body[43:45] == [
        "Recap of the Financial Symphony",
        "- QuickBooks: The versatile old-timer",
    ]


def test_an_article_split_by_a_call_to_action_keeps_its_opening_part() -> None:
    # '<div id="content" class="post_body">' holds the post in two '<div class="rich-text
    # w-richtext">'s: the opening, then two '<div class="blog_cta-holder">'
    # ("Free Download"), then the company profiles, more than half the page's paragraphs
    body = extract_page("siteline_split_rich_text").body
    assert len(body) == 103
    assert body[0].startswith(
        "Electrical construction companies play an important role in residential, commercial"
    )
    assert body[5:9] == [
        "10 Fastest Growing Electrical Construction Companies to Watch",
        "Revenue isn’t always a sign of a healthy organization. Growth rate is often a better "
        "indicator of how well a company is doing. Two dozen of the firms on this list of top "
        "electrical construction companies reported double-digit growth rates last year. Ten "
        "of those firms showed an impressive 30% or higher growth.",
        "Here’s a deep dive into the ten fastest growing electrical construction "
        "companies—what they do, who they serve, and what factors are driving their growth.",
        "1. MasTec, Inc.",
    ]
    assert not [paragraph for paragraph in body if "Fastest-Paying GCs" in paragraph]


def test_boxes_drawn_with_an_inline_border_are_part_of_the_article() -> None:
    # '<div style="margin: 18px 0; padding: 16px; border: 1px solid #e5e6eb; ...">' holds the
    # "Key answer" summary under the intro; later '<p style="margin-top: 10px; padding: 12px;
    # border-left: 4px solid #ff9902; ...">' sets a caveat apart
    body = extract_page("pangeanic_bordered_boxes").body
    assert len(body) == 120
    assert body[2:8] == [
        "Key answer",
        "Google Gemini is highly capable for enterprise productivity tasks (summarization, "
        "ideation, multimodal document review, and long-context analysis). However, for "
        "regulated, domain-specific, or mission-critical workflows (legal, compliance, "
        "financial reporting, public-facing translation), its general-purpose nature introduces "
        "measurable risk: hallucinations, limited determinism, and reduced auditability.",
        "- Best fit: multimodal analysis, drafting, brainstorming, and “first-pass” synthesis "
        "with human validation",
        "- Use with caution: customer support drafting, technical documentation, code "
        "generation, gist translation",
        "- High risk / not suitable: compliance reporting, contracts, regulated decision support "
        "without task-specific controls",
        "Enterprise best practice: adopt a composite AI architecture and use Gemini where "
        "flexibility matters, and task-specific/domain-adapted models where accuracy, "
        "governance, and auditability are mandatory.",
    ]
    assert body[66].startswith(
        "Benchmark-style “hallucination rate” figures vary widely depending on task definition"
    )


def test_the_collapsed_panels_of_an_accordion_are_part_of_the_article() -> None:
    # each step of the guide is an accordion's panel, hidden until its heading is clicked:
    # '<a role="button" aria-controls="undefined_0_content"><span role="heading">1. Understand
    # your electric bill</span></a>' then '<div id="undefined_0_content" style="display:none;"
    # role="region">'
    body = extract_page("energysage_accordion_steps").body
    assert body[7:10] == [
        "What to know before you install panels",
        "First and foremost, make sure your house is a good fit for solar and understand your "
        "electricity consumption. That’ll help you determine the size of your system, its "
        "overall cost, and how much it should save you each month.",
        "Week 1",
    ]
    assert body[10].startswith("Installing solar panels can offset or even eliminate your")
    assert body[12] == (
        "Tip: Gather 12 months of electric bills now so you can provide accurate usage data to "
        "installers."
    )
    assert len(body) == 88


def test_a_block_holding_paragraphs_is_read_whatever_icon_its_class_names() -> None:
    # the accordion of the buyer's guide's methodology and product notes is wrapped in '<div
    # class="kt-accordion-wrap ... kt-accodion-icon-style-arrow ...">', a class naming the
    # style of its icons
    body = extract_page("technologyadvice_icon_class_accordion").body
    assert len(body) == 235
    assert body[40:42] == [
        "To identify the best self-employed accounting software, I applied a consistent rubric "
        "across essential categories that every accounting platform should address. The "
        "following includes all the platforms I initially evaluated before narrowing the list "
        "down to the top five recommendations featured in this buyer’s guide:",
        "- Wave",
    ]


def test_text_pasted_with_a_border_box_style_is_part_of_the_article() -> None:
    # three passages pasted with the styles of the page they were copied from: '<p><span
    # style="box-sizing:border-box;margin:0px;padding:0px;">Some people, for environmental
    # reasons ... wild-caug</span>ht, or <a>organic products</a> when ...</p>'
    body = extract_page("healthline_pasted_span_style").body
    assert len(body) == 152
    assert body[49] == (
        "Some people, for environmental reasons or personal preferences, may choose "
        "pasture-raised, grass-fed, wild-caught, or organic products when consuming "
        "conventional animal products."
    )
    assert body[56] == (
        "- Added sugars and sweets include table sugar, soda, juice, pastries, cookies, candy, "
        "sweet tea, and sugary cereals."
    )
    assert body[124].startswith(
        "Other studies in older adults have found that healthy plant-based eating patterns"
    )


def test_an_article_in_a_main_after_a_main_class_keeps_its_headings_and_lists() -> None:
    # '<main class="col-md-8" role="main">' holds the guide, no <article>; before it, the
    # empty '<div class="main-social-wrapper">'
    body = extract_page("princetonreview_main_article").body
    assert len(body) == 39
    assert body[2] == "2025–26 Common App Essays"
    assert body[4].startswith("- Some students have a background, identity, interest, or talent")
    assert body[11:13] == ["Tackling the Common App Essay Prompts", "Prompt #1: Share your story."]


def test_an_article_in_the_main_is_read_without_the_teasers_beside_it() -> None:
    # '<main class="grow overflow-x-clip">' holds the story's '<article>' and, after it, the
    # teasers under "You might also be interested in…"
    body = extract_page("harvardhealth_article_in_main").body
    assert len(body) == 13
    assert body[1].startswith("Exercising regularly can improve symptoms of mild to moderate")
    assert "You might also be interested in…" not in body
    assert "An Introduction to Yoga" not in body


def test_a_round_up_keeps_the_headings_that_link_to_the_sites_it_presents() -> None:
    # '<h2 class="mv-list-single-title"><a class="mv-list-title-link"
    # href="https://www.littlebitsofhome.com/2019/07/quick-coat-hooks.html">Quick Coat Hooks</a>'
    body = extract_page("creativeramblings_other_site_headings").body
    assert body[8:11] == [
        "Quick Coat Hooks",
        "These genius coat hooks are perfect for little kids! This is one of those 'why didn't "
        "I think of that' projects. I am tempted to add them to my kitchen right now.",
        "DIY Plant Stand",
    ]
    assert "DIY Hanging Plant Holder: Make a Wooden Hanging Plant Pot Holder" in body


def test_related_story_lines_are_left_out_of_a_news_story() -> None:
    # '<p><strong>Related: <a href="https://hechingerreport.org/proof-points-tutoring-research-
    # nashville/">Students aren’t benefiting much from tutoring, one new study shows</a>' twice
    body = extract_page("hechingerreport_related_lines").body
    assert len(body) == 19
    assert not [paragraph for paragraph in body if paragraph.startswith("Related: Students")]
    assert not [paragraph for paragraph in body if paragraph.startswith("Related: Tutoring")]
    assert body[8].startswith("Monica Bhatt, a researcher at the University of Chicago")
    assert body[9].startswith("Some of the earlier, pre-pandemic tutoring studies")


def test_a_post_under_a_header_with_a_content_class_keeps_its_headings_and_lists() -> None:
    # the post's header, '<div class="entry-content-wrapper"><div class="single-post-header">'
    # (its section, author and headline), comes before the post in plain divs, '<div
    # class="content-inner single-column ">', whose <h2>s and <ul>s were lost with it
    body = extract_page("aidoc_header_content_class").body
    assert len(body) == 31
    assert body[0].startswith("The digital era has ushered in a great deal of personalization")
    assert body[1] == "1. Clinical Decision Support"
    assert body[7:9] == ["Types of AI Applications in Healthcare", "- Imaging AI"]
    assert body[24] == "In Conclusion"
    assert body[27:30] == [
        "- Offering clinical decision support tools",
        "- Managing the data tsunami",
        "- Enhancing administrative workflows",
    ]


def test_headings_opened_by_a_table_of_contents_anchor_stay_in_the_body() -> None:
    # '<h3 class="wp-block-heading"><span class="ez-toc-section"
    # id="Gas_Optimization_Techniques"></span>Gas Optimization Techniques<span
    # class="ez-toc-section-end"></span></h3>'
    body = extract_page("infuy_toc_anchor_headings").body
    assert len(body) == 105
    assert body[9] == "Enhancing Transaction Speed"
    assert body[12] == "Gas Optimization Techniques"
    assert body[13].startswith("To enhance blockchain efficiency in applications, gas optimization")
    assert body[15] == "Choosing the Right Consensus Mechanism"


def test_headings_opened_by_a_named_anchor_are_kept() -> None:
    # '<h2 style="text-align: center;"><a id="des-nomad"></a>Choosing Your Destination as a
    # Remote Worker</h2>', '<h3><a id="hub-nomad"></a>Finding a Digital Nomad Hub</h3>': an
    # anchor without an address, the table of contents' target
    body = extract_page("absolutelylucy_named_anchor_headings").body
    assert len(body) == 94
    assert body[6] == "Becoming a Digital Nomad"
    assert body[49] == "Choosing Your Destination as a Remote Worker"
    assert body[50].startswith("Okay so you've been given the green light for becoming a digital")
    assert body[51] == "Finding a Digital Nomad Hub"
    assert body[52].startswith("There are so many to choose from worldwide but some of the most")


def test_headings_linking_to_themselves_stay_in_the_body() -> None:
    # '<h3 id="fine-tuned-memory-management"><a href="#fine-tuned-memory-management">Fine-Tuned
    # Memory Management</a></h3>'; the table of contents, '<nav id="toc">', links to them
    body = extract_page("bossley_name_in_host_labels").body
    assert len(body) == 145
    assert body[9:11] == ["The Good", "Language Design"]
    assert body[54] == "Fine-Tuned Memory Management"
    assert body[55].startswith("Rather than hide memory management like in Rust or Go, Zig")
    assert body[143] == "Conclusion"
    assert "Table of Contents" not in body


def test_headings_with_a_permalink_icon_stay_in_the_body() -> None:
    # '<h3 class="permalink-module-scss-module__Js_GHq__wrapper h3"><span>TypeScript generic
    # function</span><span ... id="typescript-generic-function"></span><a aria-label="Permalink
    # for this section" ... href="/guides/typescript-generics#typescript-generic-function">
    # <span></span></a></h3>'
    body = extract_page("graphite_permalink_icon_headings").body
    assert len(body) == 39
    assert body[1] == "Basic concept of TypeScript generics"
    assert body[5] == "TypeScript generic function"
    assert body[6].startswith("A generic function is a function that can work with any data type.")
    assert body[29:31] == ["Advanced examples", "Constraining generics"]


def test_a_don_t_miss_list_of_the_site_s_stories_is_left_out_of_a_news_story() -> None:
    # "<p><strong>DON'T MISS</strong><br><strong><a href="/news/world/1125953/...">Plague and
    # zoonotic influenza warning: CDC names EIGHT deadly diseases</a> [WARNING]</strong><br>..."
    body = extract_page("express_dont_miss_teasers").body
    assert len(body) == 19
    assert "DON'T MISS" not in body
    assert not [paragraph for paragraph in body if paragraph.endswith(("[WARNING]", "[NEWS]"))]
    assert body[12].startswith("More than 100 million people may have perished")
    assert body[13].startswith("According to the Centre for Disease Control (CDC) in the US")


# Title: the headline the page shows; the SEO title beside it when worded otherwise.


@pytest.mark.parametrize(
    ("name", "title", "seo_title", "seo_method"),
    [
        # JSON-LD headline with the kicker "Zugverkehr: " glued in front; the <h1> marks it
        (
            "zeit_kicker",
            "Im ICE von Frankfurt nach Barcelona",
            "Zugverkehr: Im ICE von Frankfurt nach Barcelona",
            "json-ld",
        ),
        # the SEO headline worded otherwise than the <h1>, half its words in common
        (
            "gofeminin_seo_title",
            "Wie kann ich schnell abnehmen? Die 8 effektivsten Tipps",
            "Wie kann ich schnell abnehmen? Der Schlachtplan zum Wunschgewicht",
            "json-ld",
        ),
        # the same in a script written without spaces, compared by pairs of letters
        (
            "lifehacker_japanese_title",
            "ファインの新聞ストッカーは引越しにも使える！ 家具の固定も簡単",
            "ファインの新聞ストッカーは引越しにも使える！ 新聞も家具も簡単に固定",
            "meta",
        ),
        # '<ol class="breadcrumbs"><li>...<h1>Genetik: ... Rafflesien</h1></li></ol>', then the
        # headline '<h2><span class="content__kicker">Genetik</span> ... Riesenblumen</h2>'
        (
            "spektrum_breadcrumb_h1",
            "Das Geheimnis der parasitischen Riesenblumen",
            "Genetik: Das Geheimnis der parasitischen Riesenblumen",
            "meta",
        ),
        # the page's only <h1>, in its <article>, worded wholly otherwise than og:title
        (
            "bustle_lone_by",
            "The Transformative Power Of Feminist Compliments",
            "13 Ways To Compliment Women In The Most Empowering, Transformative Way Possible",
            "meta",
        ),
        # JSON-LD headline "Disney+ glitches blamed on heavy demand says executive Kevin
        # Mayer"; og:title "'We had some issues,' exec says on Disney+ glitches" in straight
        # quotes, the <h1> the same in typographic ones, outside any <article>
        (
            "latimes_og_title_is_h1",
            "\u2018We had some issues,\u2019 exec says on Disney+ glitches",
            "Disney+ glitches blamed on heavy demand says executive Kevin Mayer",
            "json-ld",
        ),
        # no <h1>; og:title "7 Ways to Transition to a Plant-Based Diet | Koia"; over the post
        # '<h2 class="font-heading ...">7 Ways to Help You Transition to a Plant Based
        # Diet</h2>', after the cart drawer's "Your cart is empty" and "Estimated total" <h2>s
        (
            "drinkkoia_reworded_h2_headline",
            "7 Ways to Help You Transition to a Plant Based Diet",
            "7 Ways to Transition to a Plant-Based Diet",
            "meta",
        ),
        # og:title "... nach Singapur, Thailand"; the first <h1> "Bangkok" (the dateline), the
        # second the headline without the country
        (
            "derfarang_place_h1_first",
            "Frei erfunden: Grab-Bote fliegt nach Singapur",
            "Frei erfunden: Grab-Bote fliegt nach Singapur, Thailand",
            "meta",
        ),
    ],
)
def test_the_headline_shown_wins_and_the_metadata_s_wording_is_the_seo_title(
    name: str, title: str, seo_title: str, seo_method: str
) -> None:
    item = extract_page(name)
    assert (item.title, item.seo_title) == (title, seo_title)
    assert (item.methods["title"], item.methods["seo_title"]) == ("html", seo_method)


@pytest.mark.parametrize(
    ("name", "title", "method"),
    [
        # no title metadata; <title> "Rinderleber-Geschnetzeltes mit Apfel und Zwiebel | Liebe
        # geht durch den Magen": the blog's name is the first <h1>, a link home in the banner
        ("dererfolg_site_h1_home_link", "Rinderleber-Geschnetzeltes mit Apfel und Zwiebel", "html"),
        # no title metadata; '<h1 id="site-title"><a rel="home">Mäscot das Schaf – Webcomic</a>'
        # before the post's '<h1 class="entry-title">Kleine Schafskunde</h1>'
        ("maescot_site_title_h1", "Kleine Schafskunde", "html"),
        # og:title "30.11. | Buch der Woche - ..."; <title> "GALORE.de | Kultur | Literatur |"
        # before it: the <h1> "Literatur" is the section, not the headline
        (
            "galore_section_h1",
            "30.11. | Buch der Woche - Nikole Hannah-Jones (Hrsg.) • 1619",
            "meta",
        ),
    ],
)
def test_the_site_s_or_section_s_name_as_a_heading_is_no_headline(
    name: str, title: str, method: str
) -> None:
    item = extract_page(name)
    assert (item.title, item.methods["title"], item.seo_title) == (title, method, None)


def test_the_h1_showing_the_og_title_is_the_headline_whatever_h1_the_article_holds() -> None:
    # og:title "Anthony's Top 10 Board Games of 2025 (Plus a Few Honorable Mentions) - Board
    # Gamers Anonymous"; that <h1> over the post, and in its text, an <article>'s,
    # '<h1 class="wp-block-heading">The Top 10 Board Games of 2025</h1>' opening the list
    item = extract_page("boardgamers_title_h1_before_body_h1")
    assert item.title == (
        "Anthony\u2019s Top 10 Board Games of 2025 (Plus a Few Honorable Mentions)"
    )
    assert item.seo_title is None
    assert item.methods["title"] == "html"


def test_the_headline_microdata_marks_inside_the_h1_leaves_its_kicker_out() -> None:
    # '<h1><span class="article__subheadline">Family finances</span><br><span
    # itemprop="headline" class="article__headline">America’s huge stimulus ...</span></h1>'
    item = extract_page("economist_marked_headline")
    assert item.title == "America\u2019s huge stimulus is having surprising effects on the poor"
    assert item.seo_title is None


def test_an_og_title_naming_only_the_site_is_no_title() -> None:
    # '<meta name="og:title" property="og:title" content="Robomow">' (the og:site_name), then
    # '<meta property="og:title" content="Which robotic lawnmower ... lawn size? | Robomow">'
    item = extract_page("robomow_site_name_og_title")
    assert item.title == "Which robotic lawnmower is suitable for which lawn size?"
    assert item.methods["title"] == "meta"


def test_a_page_class_naming_breadcrumbs_leaves_the_h1_the_headline() -> None:
    # '<body class="... genesis-breadcrumbs-hidden ...">', a theme's setting; the only <h1>
    # stands in the <article>, the og:title is worded otherwise
    item = extract_page("runtothefinish_body_breadcrumbs_class")
    assert item.title == "Daily Harvest vs Freshly vs Eat to Evolve: Prepared Meal Delivery"
    assert item.seo_title == "Comparing Prepared Meal Delivery 2026 | Daily Harvest, Freshly, More"
    assert (item.methods["title"], item.methods["seo_title"]) == ("html", "meta")


def test_the_h1_wins_over_a_one_word_topic_given_as_the_title() -> None:
    item = extract_page("gruene_topic_title")  # og:title, twitter:title, dcterms.title "Arbeit"
    assert item.title == "Wir kämpfen für gute Arbeit"
    assert item.seo_title == "Arbeit"


def test_the_page_s_typography_is_kept_and_is_no_seo_title() -> None:
    item = extract_page("lady50plus_dash")
    assert item.title == "SEKRÈ MYSTERY BAG – jede Frau braucht ein Geheimnis!"
    assert item.seo_title is None


def test_a_site_suffix_the_site_name_did_not_catch_is_no_seo_title() -> None:
    item = extract_page("dw_title_suffix")
    assert item.title == "Berlin confronts Germany's colonial past with new initiative"
    assert item.seo_title is None


def test_the_h1_in_the_article_s_own_header_shows_the_title_in_the_page_s_typography() -> None:
    # og:title "'La La Land' Might Win an Oscar but It's Got Some Bizarre Racial Politics";
    # the only <h1>, in the article's '<header class="... single-header">' (no <article>):
    # "‘La La Land’ might win an Oscar but it’s got some bizarre racial politics"
    item = extract_page("fusion_header_h1")
    assert item.title == "‘La La Land’ might win an Oscar but it’s got some bizarre racial politics"
    assert (item.seo_title, item.methods["title"]) == (None, "html")


@pytest.mark.parametrize(
    ("heading", "og_title", "title"),
    [
        # a kicker and the headline in elements shown on lines of their own, no space between
        (
            '<span class="a1">Rentenreform</span><span class="b2">Regierung beschließt neues Gesetz</span>',
            "Regierung beschließt neues Gesetz",
            "Rentenreform Regierung beschließt neues Gesetz",
        ),
        # ... where the metadata glues that kicker to the headline: the headline alone
        (
            '<span class="a1">Rentenreform</span><span class="b2">Regierung beschließt neues Gesetz</span>',
            "Rentenreform: Regierung beschließt neues Gesetz",
            "Regierung beschließt neues Gesetz",
        ),
        # a kicker the heading's own line sets off with a colon is the headline's
        (
            "Analyse: Regierung beschließt neues Gesetz",
            "Analyse: Regierung beschließt neues Gesetz",
            "Analyse: Regierung beschließt neues Gesetz",
        ),
    ],
)
def test_a_heading_s_lines_are_set_apart_and_a_kicker_line_left_out(
    heading: str, og_title: str, title: str
) -> None:
    head = f'<meta property="og:title" content="{og_title}">'
    item = story("https://www.zeitung.test/politik/a-1", f"<h1>{heading}</h1>{TEXT}", head=head)
    assert item.title == title


def test_a_blog_s_name_in_its_header_h1_is_not_the_headline_its_title_names() -> None:
    # no title metadata; <title> "深度长文：细说iOS代码签名 - xelz's blog" on xelz.info, the
    # site's '<header><h1>xelz's blog</h1>', then '<article><h2 class="title">深度长文：...'
    item = extract_page("xelz_blog_title")
    assert (item.title, item.methods["title"]) == ("深度长文：细说iOS代码签名", "html")


def test_an_h1_linking_to_the_home_page_is_the_site_s_logo_not_the_headline() -> None:
    # '<a href="/"><h1>엔터 미디어</h1></a>' in '<div id="header">'; no title metadata
    item = extract_page("entermedia_logo_h1")
    assert item.title == "엘제이-류화영 진흙탕 싸움, 공적인 사안으로 봐야하는 이유"
    assert item.methods["title"] == "html"


def test_a_headline_escaped_twice_reads_as_the_page_shows_it_and_is_no_seo_title() -> None:
    # JSON-LD '"headline": "And finally&amp;#8230; trouble brewing"'
    item = extract_page("scottishconstructionnow_escaped_twice")
    assert (item.title, item.seo_title) == ("And finally\u2026 trouble brewing", None)
    assert item.methods["title"] == "json-ld"


@pytest.mark.parametrize(
    ("name", "title"),
    [
        # og:title "... | JOHNSONâ\x80\x99SÂ®" (decoded twice by the site) on
        # johnsonsbaby.com; its <h1> a section's name
        ("johnsonsbaby_mojibake_site_name", "How To Get Toddlers To Sleep In Their Own Bed"),
        # og:title "What do people love about Rust? | Rust Blog" on blog.rust-lang.org
        ("rustlang_on_behalf_of", "What do people love about Rust?"),
    ],
)
def test_a_site_name_the_host_spells_is_no_part_of_the_title(name: str, title: str) -> None:
    assert extract_page(name).title == title


def test_a_title_s_parts_joined_by_unspaced_bars_name_the_headline() -> None:
    # no title metadata, no <h1>; <title> "文字书法之美|平面|教程|开心老头 - 原创文章 - 站酷
    # (ZCOOL)", the headline '<h2>文字书法之美<span class="fire3"></span></h2>'
    item = extract_page("zcool_glued_bars")
    assert (item.title, item.methods["title"]) == ("文字书法之美", "html")


def test_the_store_keeps_the_shown_headline_and_the_seo_title(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "newsmon.db")
    store.ensure_source(
        "zeit_kicker",
        name="ZEIT ONLINE",
        home_url="https://www.zeit.de/",
        lang="de",
        tz="Europe/Berlin",
        kind="site",
    )
    writer = StoreWriter(store, store.start_crawl("live", ["zeit_kicker"]))
    writer.write(normalize(extract_page("zeit_kicker")))
    writer.close()
    rows = store.db.execute("SELECT title, seo_title FROM articles").fetchall()
    store.close()
    assert rows == [
        (
            "Im ICE von Frankfurt nach Barcelona",
            "Zugverkehr: Im ICE von Frankfurt nach Barcelona",
        )
    ]


@pytest.mark.parametrize(
    ("title", "headings", "headline"),
    [
        # the site's logo in the <h1>, the headline in an <h2>
        (
            "Holocaust-Gedenktag: Lesbische Erinnerungskultur",
            "<h1><a href='/'></a><i>L-Mag</i></h1><h2>Holocaust-Gedenktag: Lesbische "
            "Erinnerungskultur</h2>",
            "Holocaust-Gedenktag: Lesbische Erinnerungskultur",
        ),
        # a skip link's <h1> first; the <title> names site, section and headline
        (
            "www.example-news.test: Der Bundespräsident / Reden / Rede beim Konvent",
            "<h1 class='navSkip'>Navigation und Service</h1><h2>Suche</h2>"
            "<h1><span>Rede beim Konvent</span></h1>",
            "Rede beim Konvent",
        ),
        # section and site after the headline, which only an <h2> shows
        (
            "Kein App Store mehr mit iOS 13 ? | iPhone | Forum | Example News",
            "<h1><a href='/' title='Example News'></a></h1><h2 class='Title'>Kein App Store "
            "mehr mit iOS 13 ?</h2><h2>Kommentieren</h2>",
            "Kein App Store mehr mit iOS 13 ?",
        ),
        # no heading is in the <title>: the first <h1>, as before
        ("Example News", "<h1>A headline</h1><h2>Example News</h2>", "A headline"),
    ],
)
def test_without_title_metadata_the_headline_is_the_heading_the_title_names(
    title: str, headings: str, headline: str
) -> None:
    html = (
        f"<html><head><title>{title}</title></head><body><div>{headings}"
        f"<p>{'Some text of the article. ' * 20}</p></div></body></html>"
    )
    item = extract_article("https://example-news.test/a", html, FETCHED, source="example")
    assert (item.title, item.methods["title"]) == (headline, "html")


def small_page(author_meta: str, byline: str = "") -> str:
    return (
        f'<html><head><meta name="author" content="{author_meta}">'
        '<meta property="og:site_name" content="Example News"></head><body><article>'
        f"<h1>A headline</h1>{byline}<p>{'Some text of the article. ' * 20}</p>"
        "</article></body></html>"
    )


@pytest.mark.parametrize(
    ("author_meta", "authors"),
    [
        ("Anna Schmidt und Jonas Weber", ["Anna Schmidt", "Jonas Weber"]),
        ("Kari Nordmann og Ola Nordmann", ["Kari Nordmann", "Ola Nordmann"]),
        ("أحمد علي، محمد حسن", ["أحمد علي", "محمد حسن"]),  # the Arabic comma
        ("Posted by Jane Doe", ["Jane Doe"]),
        ("Publicado por Ana García", ["Ana García"]),
        ("Veröffentlicht von Anna Schmidt", ["Anna Schmidt"]),
        # "by" in Indonesian and Malay, Hebrew, Icelandic; Italian "edited by"
        ("Oleh Budi Santoso", ["Budi Santoso"]),
        ("Oleh Sukhov", ["Oleh Sukhov"]),  # the Ukrainian given name
        ("מאת ישראל כהן", ["ישראל כהן"]),
        ("Eftir Jón Jónsson", ["Jón Jónsson"]),
        ("A cura di Giulia Rossi", ["Giulia Rossi"]),
        ("facebook.com/examplenews", []),  # an address without its scheme
        ("Privacy Policy.", []),  # a link's words
        ("Anonymous", []),
        ("Ana García y Luis Pérez", ["Ana García", "Luis Pérez"]),
        ("Claire Martin et Paul Durand", ["Claire Martin", "Paul Durand"]),
        # a surname's particles inside names do not make them one body's name
        ("Maria de Souza and Ana da Silva", ["Maria de Souza", "Ana da Silva"]),
        # a lower-case word between others does: one office of an agency
        ("Center for Drug Evaluation and Research", ["Center for Drug Evaluation and Research"]),
        ("Jane Doe, John Roe, and Max Mustermann", ["Jane Doe", "John Roe", "Max Mustermann"]),
        ("Jane Doe on behalf of the Example Council", ["Jane Doe"]),
        ("Compiled by Jane Doe", ["Jane Doe"]),
        ("José Ortega y Gasset", ["José Ortega y Gasset"]),  # a surname, not two people
        ("Jane Doe (jd)", ["Jane Doe"]),
        ("Jane Doe (dpa)", ["Jane Doe"]),
        # names parted by a slash; whom the writer wrote with
        ("Max Mustermann/Erika Musterfrau", ["Max Mustermann", "Erika Musterfrau"]),
        ("Max Mustermann mit dpa", ["Max Mustermann"]),
        ("Max Mustermann (mit Material von dpa)", ["Max Mustermann"]),
        ("Jane Doe with Reuters", ["Jane Doe"]),
        # the kind of piece before "by"
        ("Ein Kommentar von Max Mustermann", ["Max Mustermann"]),
        ("A guest post by Jane Doe", ["Jane Doe"]),
        ("Pressemitteilung von Max Mustermann", ["Max Mustermann"]),
        # a name in capitals, then the outlet in small letters, as wire bylines are printed
        ("By JANE DOE Associated Press", ["JANE DOE"]),
        ("MARY ANN SMITH The Washington Post", ["MARY ANN SMITH"]),
        ("T. V. Raman", ["T. V. Raman"]),
        ("Blog Beitrag von Erika Musterfrau", ["Erika Musterfrau"]),
        ("Von Hans von Storch", ["Hans von Storch"]),
        # each name's credit in brackets: the text's writer, not the photographer
        ("Max Mustermann (Text) und Erika Musterfrau (Fotos)", ["Max Mustermann"]),
        # the makers of other work than the text, by their roles
        ("text: Jane Doe, design: John Roe, code: Max Mustermann", ["Jane Doe"]),
        ("Text: Anna Schmidt, Fotos: Paul Weber", ["Anna Schmidt"]),
        ("christian.stadtfeld", []),  # a login, not a name
        ("Example News", []),
        ("EXAMPLE-NEWS.test", []),
    ],
)
def test_author_strings_become_the_people_they_name(author_meta: str, authors: list[str]) -> None:
    item = extract_article(
        "https://example-news.test/a", small_page(author_meta), FETCHED, source="example"
    )
    assert item.authors == authors


@pytest.mark.parametrize(
    ("url", "author_meta"),
    [
        ("https://www.stern.de/politik/a-123.html", "STERN.de"),
        ("https://www.n-tv.de/politik/a-123.html", "n-tv NACHRICHTEN"),
        ("https://www.spiegel.de/politik/a-123.html", "DER SPIEGEL"),
        # each word a label of the host, but "News" is a site's word
        ("https://news.bbc.co.uk/2/hi/uk_news/1234.stm", "BBC News"),
        # the newspaper's word for itself, and its newsroom's
        ("https://www.opapel.com/a-123", "Jornal O Papel"),
        ("https://www.ansa.it/sito/notizie/a-123.html", "Redazione ANSA"),
        ("https://www.larazon.pe/a-123", "Redacción La Razón"),
    ],
)
def test_the_publisher_s_own_name_is_no_author(url: str, author_meta: str) -> None:
    item = extract_article(url, small_page(author_meta), FETCHED, source="example")
    assert item.authors == []


@pytest.mark.parametrize(
    "byline",
    [
        '<p><span itemprop="author creator" itemscope><span itemprop="name">Kevin Sack</span>'
        "</span></p>",
        '<p><a rel="author noopener" href="https://social.example/ksack">Kevin Sack</a></p>',
    ],
)
def test_a_byline_marked_among_other_words_of_its_attribute(byline: str) -> None:
    item = story("https://news.example.test/a", f"<h1>A story</h1>{TEXT}{byline}")
    assert item.authors == ["Kevin Sack"]


@pytest.mark.parametrize(
    ("byline", "signature", "authors"),
    [
        ("By <a>Linda</a>", "<p>Written by Linda McCall</p>", ["Linda McCall"]),
        ("By <a>Linda</a>", "<p>by Linda McCall</p>", ["Linda McCall"]),
        # a sentence naming her, not a signature
        ("By <a>Linda</a>", "<p>The site is owned by Linda McCall.</p>", ["Linda"]),
        ("By <a>Linda</a>", "<p>Written by Paul Weber</p>", ["Linda"]),  # someone else
    ],
)
def test_a_given_name_s_byline_takes_the_full_name_the_article_is_signed_with(
    byline: str, signature: str, authors: list[str]
) -> None:
    body = f"<h1>A post</h1><div class='byline'>{byline}</div>{TEXT}{signature}"
    assert story("https://blog.example.test/a", body).authors == authors


@pytest.mark.parametrize(
    ("url", "home_link", "authors"),
    [
        ("https://www.doe.test/posts/a", "Jane Doe", ["Jane Doe"]),  # the surname's site
        ("https://janedoe.test/posts/a", "Jane Doe", ["Jane Doe"]),
        ("https://blog.example.test/posts/a", "Jane Doe", []),  # a host naming someone else
        ("https://www.vigo.test/posts/a", "Faro de Vigo", []),  # a place's name
    ],
)
def test_a_personal_site_s_link_home_names_its_owner(
    url: str, home_link: str, authors: list[str]
) -> None:
    header = f'<div><a href="/">{home_link}</a></div>'
    assert story(url, f"<h1>A post</h1>{TEXT}", before=header).authors == authors


def test_the_name_the_page_s_microdata_gives_its_publisher_is_no_author() -> None:
    # '<meta name="author" content="Faro de Vigo">' on farodevigo.es, read like a personal
    # site's owner but for '<div itemprop="publisher" itemscope
    # itemtype="http://schema.org/Organization"> ... <meta content="Faro de Vigo"
    # itemprop="name"/>'
    item = extract_page("farodevigo_microdata_published")
    assert item.authors == []


def test_an_e_mail_author_is_the_name_the_page_links_to_it() -> None:
    byline = '<p class="byline">By <a href="mailto:jdoe@example-news.test">Jane Doe</a></p>'
    html = small_page("jdoe@example-news.test", byline)
    item = extract_article("https://example-news.test/a", html, FETCHED, source="example")
    assert item.authors == ["Jane Doe"]


def test_an_e_mail_author_the_page_names_nowhere_is_no_author() -> None:
    html = small_page("jdoe@example-news.test")
    item = extract_article("https://example-news.test/a", html, FETCHED, source="example")
    assert item.authors == []


def authored_page(head: str, body: str = "") -> str:
    return (
        f"<html><head>{head}</head>"
        f"<body><article><h1>A headline</h1>{body}<p>{'Some text of the article. ' * 20}</p>"
        "</article></body></html>"
    )


def test_a_byline_under_a_headline_linking_to_its_own_page_is_the_articles() -> None:
    url = "https://example-news.test/2026/03/a-headline/"
    html = (
        f"<html><body><article><h1><a href='{url}'>A headline</a></h1>"
        "<address class='author'><span itemprop='name'>Jane Doe</span></address>"
        f"<p>{'Some text of the article. ' * 20}</p></article></body></html>"
    )
    item = extract_article(url, html, FETCHED, source="example")
    assert (item.authors, item.methods.get("authors")) == (["Jane Doe"], "html")


def test_a_byline_in_an_article_text_holding_a_related_articles_heading_is_the_articles() -> None:
    # the headline above the <article>, whose only heading is a link to a related article
    html = (
        "<html><body><h1>A headline</h1><article class='content-continued-body'>"
        "<span class='byline'>By Jane Doe</span>"
        f"<p>{'Some text of the article. ' * 30}</p>"
        "<h4><a href='https://example-news.test/related'>A related article</a></h4>"
        f"<p>{'More text of the article. ' * 30}</p></article></body></html>"
    )
    item = extract_article("https://example-news.test/a", html, FETCHED, source="example")
    assert (item.authors, item.methods.get("authors")) == (["Jane Doe"], "html")


def graph_author(name: str) -> str:
    person = "https://example-news.test/#/schema/person/1"
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "NewsArticle", "headline": "A headline", "author": {"@id": person}},
            {"@type": "Person", "@id": person, "name": name},
        ],
    }
    return f'<script type="application/ld+json">{json.dumps(graph)}</script>'


@pytest.mark.parametrize(
    ("head", "body", "authors", "method"),
    [
        # a Yoast @graph: the article's author is a reference to a Person of the graph
        (graph_author("Jane Doe"), "", ["Jane Doe"], "json-ld"),
        (graph_author("Williams Perdomo @wperdomod"), "", ["Williams Perdomo"], "json-ld"),
        # a nickname in the metadata, the full name in the author box
        (
            graph_author("Stefanus"),
            '<div class="author-box">Stefanus Stahl - Maschinenbauer und Abenteurer</div>',
            ["Stefanus Stahl"],
            "json-ld",
        ),
        # a login written as one word in the metadata, the name in the byline
        (
            '<meta name="sailthru.author" content="mikecason">',
            '<div class="byline"><span>By </span><a href="/staff/mikecason/posts.html">'
            "Mike Cason | mcason@al.com</a></div>",
            ["Mike Cason"],
            "meta",
        ),
        ('<meta name="byl" content="By Nelson D. Schwartz">', "", ["Nelson D. Schwartz"], "meta"),
        (
            '<meta name="twitter:label1" content="Written by">'
            '<meta name="twitter:data1" content="Jane Doe">',
            "",
            ["Jane Doe"],
            "meta",
        ),
        (
            '<meta name="twitter:label1" content="Est. reading time">'
            '<meta name="twitter:data1" content="Three Minutes">',
            "",
            [],
            None,
        ),
        # "By A, job title, affiliation": what follows the job is about A
        (
            '<meta name="author" content="Daniel Kahn Gillmor, Senior Staff Technologist, '
            'ACLU Speech, Privacy, and Technology Project">',
            "",
            ["Daniel Kahn Gillmor"],
            "meta",
        ),
        # the site's name with its tagline is no author; the paragraph naming one is the byline
        (
            '<meta property="og:site_name" content="L-Mag">'
            '<meta name="author" content="L-MAG – Das Magazin für Lesben">',
            '<p class="bodytext">Von Claudia Lindner</p>',
            ["Claudia Lindner"],
            "html",
        ),
        (
            "",
            "<p>Auteur : Kossivi Tiassou </p><p>Edition : M-A. Pioerron</p>",
            ["Kossivi Tiassou"],
            "html",
        ),
        ("", "<p>Foto: Jane Doe</p>", [], None),
        # a lone label before the names in an element that is no paragraph
        ("", "<div><b>Authors:</b> Jane Doe and John Roe</div>", ["Jane Doe", "John Roe"], "html"),
        ("", "<div><span>Contributor:</span> <a>Jane Doe</a></div>", ["Jane Doe"], "html"),
        # a menu's link to the site's contributors is no label
        ("", '<nav><a href="/contributors">Contributors</a> <a>Jane Doe</a></nav>', [], None),
        # a link to an author's page is a byline when nothing marks one; a list of authors
        # or one on another site is not
        ("", '<p><a href="/author/jane-doe">Jane Doe</a> | 3 March</p>', ["Jane Doe"], "html"),
        ("", '<ul><li><a href="/author/jane-doe">Jane Doe</a></li></ul>', [], None),
        ("", '<p><a href="https://other.test/author/jane-doe">Jane Doe</a></p>', [], None),
        ("", '<div id="author_header">Gunter Frank</div>', ["Gunter Frank"], "html"),
        # JSON-LD inside a CDATA section, as XHTML habits write it
        (
            '<script type="application/ld+json">//<![CDATA[\n{"@type": "NewsArticle", '
            '"author": {"@type": "Person", "name": "Jane Doe"}}\n//]]></script>',
            "",
            ["Jane Doe"],
            "json-ld",
        ),
    ],
)
def test_authors_named_where_pages_put_them(
    head: str, body: str, authors: list[str], method: str | None
) -> None:
    item = extract_article(
        "https://example-news.test/a", authored_page(head, body), FETCHED, source="example"
    )
    assert (item.authors, item.methods.get("authors")) == (authors, method)
